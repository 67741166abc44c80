/**
 * One decoder-only ONNX model in the engine-contract layout, loaded into an onnxruntime
 * session. Checks the graph against config.json, then runs steps: feed new token ids plus the
 * past KV state, get logits rows and the next KV state.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Logger } from '../../common/logger';
import { errorMessage } from '../../../base/errorText';
import { EngineError } from '../shared/errors';
import { halfToFloat32 } from './float16';
import { checkExternalData, checkKvTypes, checkSessionIo, checkVocab, explainLoadFailure, type GraphIo } from './graphChecks';
import { KvArena } from './kvArena';
import { BeamKv } from './kvBeams';
import { KvState, type KvGeometry } from './kvState';
import type { ModelConfig } from '../../models/config';
import { ModelFolderError } from '../../models/errors';
import { readModelFolder, type ModelFolder } from '../../models/folder';
import { inspectOnnxGraph, type OnnxGraphInfo } from '../../models/onnxGraph';
import type { DtypeChoice, OnnxChoice } from '../../models/onnxFiles';
import type { ModelTokenizer } from '../../models/tokenizer';
import { planOptimizedCache, sessionOptions } from './sessionOptions';

export interface LoadModelOptions {
  readonly modelDir: string;
  readonly dtype: DtypeChoice;
  /** Intra-op threads; 0 picks the default (cores − 1). */
  readonly threads: number;
  /** Whether onnxruntime's pool threads busy-wait between ops; the default when undefined. */
  readonly spinning?: boolean;
  /** Where optimized graphs are cached; none when undefined. */
  readonly cacheDir?: string;
}

export interface StepOutput {
  /** The last `rows` rows of logits, oldest first, each of length vocab. */
  readonly logits: Float32Array[];
  readonly kv: KvState;
}

/** The folder, its tokenizer and the chosen weights; folder errors become engine errors. */
function readFolder(options: LoadModelOptions): { folder: ModelFolder; tokenizer: ModelTokenizer; onnx: OnnxChoice } {
  try {
    const folder = readModelFolder(options.modelDir);
    return { folder, tokenizer: folder.tokenizer(), onnx: folder.chooseWeights(options.dtype) };
  } catch (err) {
    if (err instanceof ModelFolderError) throw new EngineError(err.code, err.message, err.file, { cause: err });
    throw err;
  }
}

/** The logits one prefill step of a graph without num_logits_to_keep may return. */
const PREFILL_LOGITS_BYTES = 256 * 1024 * 1024;

export class DecoderModel {
  /** Milliseconds spent inside onnxruntime's run() since load (the rest of a step is overhead). */
  runMs = 0;
  /** A row of ones, viewed at each step's length: attention masks are never rebuilt. */
  private ones = new BigInt64Array(0);
  private vocabChecked = false;

  private constructor(
    readonly folder: ModelFolder,
    readonly onnx: OnnxChoice,
    /** The graph as read from its protobuf; undefined if that reader could not parse it (onnxruntime could). */
    readonly graph: OnnxGraphInfo | undefined,
    readonly config: ModelConfig,
    readonly tokenizer: ModelTokenizer,
    private readonly session: ort.InferenceSession,
    private readonly io: GraphIo,
    readonly geometry: KvGeometry,
  ) {}

  static async load(options: LoadModelOptions, log: Logger): Promise<DecoderModel> {
    const { folder, tokenizer, onnx } = readFolder(options);
    const config = folder.config;
    const started = performance.now();
    const graph = inspectGraph(onnx.path, log);
    if (graph) {
      checkExternalData(graph);
      checkKvTypes(graph);
    }
    const session = await createSession(onnx, graph, options, log);
    let io: GraphIo;
    try {
      io = checkSessionIo(session, config, onnx.path, join(options.modelDir, 'config.json'));
    } catch (err) {
      await session.release();
      throw err;
    }
    log.info(
      `loaded ${onnx.path} (${onnx.dtype}, ${(onnx.weightBytes / 1e6).toFixed(1)} MB${graph ? `, ${graph.nodes} nodes` : ''}) in ${(performance.now() - started).toFixed(0)} ms: ` +
        `${config.numLayers} layers, ${config.numKvHeads} KV heads × ${config.headDim}, KV ${io.kvType}` +
        `${io.hasPositionIds ? ', position_ids' : ''}${io.hasLogitsToKeep ? ', num_logits_to_keep' : ''}${io.hasStepOutputs ? ', KV arena (present_step outputs)' : ''}`,
    );
    const geometry: KvGeometry = { numLayers: config.numLayers, numKvHeads: config.numKvHeads, headDim: config.headDim, elementType: io.kvType };
    return new DecoderModel(folder, onnx, graph, config, tokenizer, session, io, geometry);
  }

  get modelDir(): string {
    return this.folder.dir;
  }

  /**
   * Prompt tokens per prefill step. Graphs with num_logits_to_keep return one row; without it
   * every position's logits come back, so the chunk keeps that buffer near 256 MB (441 tokens
   * of a 152k vocabulary). Fewer, larger steps matter for quantized weights: a 4-bit MatMul
   * unpacks its whole weight matrix once per step whatever the number of rows.
   */
  get prefillChunk(): number {
    if (this.io.hasLogitsToKeep) return 1024;
    return Math.max(16, Math.min(1024, Math.floor(PREFILL_LOGITS_BYTES / (4 * this.config.vocabSize))));
  }

  emptyKv(): KvState {
    return KvState.empty(this.geometry);
  }

  /** Runs `ids` after `past`; returns logits for the last `rows` positions (1 ≤ rows ≤ ids.length). */
  async step(ids: readonly number[], past: KvState, rows: number): Promise<StepOutput> {
    const s = ids.length;
    const total = past.length + s;
    if (this.ones.length < total) this.ones = new BigInt64Array(Math.max(total, 2 * this.ones.length, 256)).fill(1n);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64(ids, [1, s]),
      attention_mask: new ort.Tensor('int64', this.ones.subarray(0, total), [1, total]),
    };
    if (this.io.hasPositionIds || this.io.hasCachePosition) {
      const pos = new BigInt64Array(s);
      for (let i = 0; i < s; i++) pos[i] = BigInt(past.length + i);
      if (this.io.hasPositionIds) feeds.position_ids = new ort.Tensor('int64', pos, [1, s]);
      if (this.io.hasCachePosition) feeds.cache_position = new ort.Tensor('int64', pos, [s]);
    }
    if (this.io.hasLogitsToKeep) feeds.num_logits_to_keep = new ort.Tensor('int64', BigInt64Array.of(BigInt(rows)), []);
    if (this.io.hasUseCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', Uint8Array.of(past.length > 0 ? 1 : 0), [1]);
    // An arena graph reads the arena's buffers as they are (the mask says how much is valid) and
    // returns only this step's rows; other graphs take dense past tensors and return the whole cache.
    const arena = this.io.hasStepOutputs ? this.arenaFor(past, total) : undefined;
    const pastTensors = arena?.tensors ?? past.tensors;
    for (let i = 0; i < this.config.numLayers; i++) {
      feeds[`past_key_values.${i}.key`] = pastTensors[2 * i];
      feeds[`past_key_values.${i}.value`] = pastTensors[2 * i + 1];
    }
    const out = await this.run(feeds, arena ? this.stepFetches : undefined, `a step of ${s} tokens after ${past.length}`);
    const present = this.presents(out, arena !== undefined);
    if (!arena) return { logits: logitRows(out.logits, rows), kv: KvState.fromTensors(this.geometry, present) };
    arena.write(past.length, present, s);
    return { logits: logitRows(out.logits, rows), kv: KvState.inArena(arena, total) };
  }

  /** KV for `width` beams after `prompt` (arena graphs: with room for `needed` positions each). */
  beamKv(prompt: KvState, width: number, needed: number): BeamKv {
    return new BeamKv(this.geometry, width, prompt, this.io.hasStepOutputs ? KvArena.capacityFor(needed, this.config.contextLength) : undefined);
  }

  /** One more token on each beam (`ids[i]` after slot i); returns each slot's logits row. */
  async stepBeams(ids: readonly number[], kv: BeamKv): Promise<Float32Array[]> {
    const width = kv.width;
    const total = kv.length + 1;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64(ids, [width, 1]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(width * total).fill(1n), [width, total]),
    };
    if (this.io.hasPositionIds) feeds.position_ids = new ort.Tensor('int64', new BigInt64Array(width).fill(BigInt(kv.length)), [width, 1]);
    if (this.io.hasCachePosition) feeds.cache_position = new ort.Tensor('int64', BigInt64Array.of(BigInt(kv.length)), [1]);
    if (this.io.hasLogitsToKeep) feeds.num_logits_to_keep = new ort.Tensor('int64', BigInt64Array.of(1n), []);
    if (this.io.hasUseCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', Uint8Array.of(kv.length > 0 ? 1 : 0), [1]);
    for (let i = 0; i < this.config.numLayers; i++) {
      feeds[`past_key_values.${i}.key`] = kv.tensors[2 * i];
      feeds[`past_key_values.${i}.value`] = kv.tensors[2 * i + 1];
    }
    const out = await this.run(feeds, kv.arena ? this.stepFetches : undefined, `a beam step of ${width} lines after ${kv.length}`);
    const present = this.presents(out, kv.arena);
    if (kv.arena) kv.append(present);
    else kv.replace(present);
    const [, n, vocab] = out.logits.dims;
    const rows: Float32Array[] = [];
    for (let b = 0; b < width; b++) {
      const row = (out.logits.data as Float32Array | Uint16Array).subarray((b * n + n - 1) * vocab, (b * n + n) * vocab);
      rows.push(out.logits.type === 'float16' ? halfToFloat32(row as Uint16Array) : (row as Float32Array));
    }
    return rows;
  }

  /** A step's KV outputs in feed order: only its own rows (`present_step.*`, arena graphs) or the whole cache. */
  private presents(out: ort.InferenceSession.ReturnType, stepRows: boolean): ort.Tensor[] {
    const prefix = stepRows ? 'present_step' : 'present';
    const present: ort.Tensor[] = [];
    for (let i = 0; i < this.config.numLayers; i++) present.push(out[`${prefix}.${i}.key`], out[`${prefix}.${i}.value`]);
    return present;
  }

  private async run(feeds: Record<string, ort.Tensor>, fetches: string[] | undefined, what: string): Promise<ort.InferenceSession.ReturnType> {
    let out: ort.InferenceSession.ReturnType;
    const started = performance.now();
    try {
      out = await (fetches ? this.session.run(feeds, fetches) : this.session.run(feeds));
    } catch (err) {
      throw new EngineError('inference-failed', `onnxruntime failed on ${what}: ${errorMessage(err)}`, this.onnx.path, { cause: err });
    } finally {
      this.runMs += performance.now() - started;
    }
    if (!this.vocabChecked) {
      // Graphs that leave the vocabulary symbolic are checked on their first real logits.
      checkVocab(out.logits.dims[2], this.config, this.onnx.path, join(this.modelDir, 'config.json'));
      this.vocabChecked = true;
    }
    return out;
  }

  /** The outputs an arena step fetches: logits and this step's KV rows, never the whole cache. */
  private get stepFetches(): string[] {
    const names = ['logits'];
    for (let i = 0; i < this.config.numLayers; i++) names.push(`present_step.${i}.key`, `present_step.${i}.value`);
    return names;
  }

  /** The arena `past` lives in when it has room for `total` positions; otherwise a new one holding it. */
  private arenaFor(past: KvState, total: number): KvArena {
    if (past.arena && total <= past.arena.capacity) return past.arena;
    return KvArena.from(past, total, this.config.contextLength);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

function int64(values: readonly number[], dims: number[]): ort.Tensor {
  const data = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]);
  return new ort.Tensor('int64', data, dims);
}

/** The last `rows` rows of logits; float16 logits are widened row by row, only those rows. */
function logitRows(logits: ort.Tensor, rows: number): Float32Array[] {
  const [, n, vocab] = logits.dims;
  const out: Float32Array[] = [];
  for (let r = n - rows; r < n; r++) {
    const row = (logits.data as Float32Array | Uint16Array).subarray(r * vocab, (r + 1) * vocab);
    out.push(logits.type === 'float16' ? halfToFloat32(row as Uint16Array) : (row as Float32Array));
  }
  return out;
}

/** The graph's protobuf, for the checks onnxruntime does not make; onnxruntime has the last word on a file this cannot read. */
function inspectGraph(path: string, log: Logger): OnnxGraphInfo | undefined {
  try {
    return inspectOnnxGraph(path);
  } catch (err) {
    log.debug(`cannot inspect ${path} before loading it: ${errorMessage(err)}`);
    return undefined;
  }
}

async function createSession(onnx: OnnxChoice, graph: OnnxGraphInfo | undefined, options: LoadModelOptions, log: Logger): Promise<ort.InferenceSession> {
  const plan = planOptimizedCache(onnx.path, onnx.externalData, ort.env.versions.common, options.cacheDir);
  try {
    const session = await ort.InferenceSession.create(plan.loadPath, sessionOptions(options.threads, plan.writePath, options.spinning));
    if (plan.loadPath !== onnx.path) log.info(`using the optimized graph cached at ${plan.loadPath}`);
    if (plan.writePath) log.info(`cached the optimized graph at ${plan.writePath}`);
    return session;
  } catch (err) {
    if (plan.loadPath !== onnx.path) {
      // A stale or truncated cache file: drop it and load the original.
      log.warn(`optimized model cache ${plan.loadPath} failed to load (${errorMessage(err)}); using ${onnx.path}`);
      rmSync(plan.loadPath, { force: true });
      return createSession(onnx, graph, { ...options, cacheDir: undefined }, log);
    }
    throw explainLoadFailure(err, graph, onnx.path);
  }
}
