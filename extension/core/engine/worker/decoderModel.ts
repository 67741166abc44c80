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
import { KvState, type KvElementType, type KvGeometry } from './kvState';
import type { ModelConfig } from '../../models/config';
import { ModelFolderError } from '../../models/errors';
import { readModelFolder, type ModelFolder } from '../../models/folder';
import type { DtypeChoice, OnnxChoice } from '../../models/onnxFiles';
import type { ModelTokenizer } from '../../models/tokenizer';
import { planOptimizedCache, sessionOptions } from './sessionOptions';

export interface LoadModelOptions {
  readonly modelDir: string;
  readonly dtype: DtypeChoice;
  /** Intra-op threads; 0 picks the default (cores − 1). */
  readonly threads: number;
  /** Where optimized graphs are cached; none when undefined. */
  readonly cacheDir?: string;
}

interface GraphIo {
  readonly hasPositionIds: boolean;
  readonly hasLogitsToKeep: boolean;
  readonly hasCachePosition: boolean;
  readonly hasUseCacheBranch: boolean;
  readonly kvType: KvElementType;
}

export interface StepOutput {
  /** The last `rows` rows of logits, oldest first, each of length vocab. */
  readonly logits: Float32Array[];
  readonly kv: KvState;
}

const KNOWN_INPUTS = new Set(['input_ids', 'attention_mask', 'position_ids', 'num_logits_to_keep', 'cache_position', 'use_cache_branch']);

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

export class DecoderModel {
  private constructor(
    readonly folder: ModelFolder,
    readonly onnx: OnnxChoice,
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
    const session = await createSession(onnx, options, log);
    let io: GraphIo;
    try {
      io = checkGraph(session, config, onnx.path, join(options.modelDir, 'config.json'));
    } catch (err) {
      await session.release();
      throw err;
    }
    log.info(
      `loaded ${onnx.path} (${onnx.dtype}, ${(onnx.weightBytes / 1e6).toFixed(1)} MB) in ${(performance.now() - started).toFixed(0)} ms: ` +
        `${config.numLayers} layers, ${config.numKvHeads} KV heads × ${config.headDim}, KV ${io.kvType}` +
        `${io.hasPositionIds ? ', position_ids' : ''}${io.hasLogitsToKeep ? ', num_logits_to_keep' : ''}`,
    );
    const geometry: KvGeometry = { numLayers: config.numLayers, numKvHeads: config.numKvHeads, headDim: config.headDim, elementType: io.kvType };
    return new DecoderModel(folder, onnx, config, tokenizer, session, io, geometry);
  }

  get modelDir(): string {
    return this.folder.dir;
  }

  /**
   * Prompt tokens per prefill step. Graphs with num_logits_to_keep return one row; without it
   * every position's logits come back, so the chunk keeps that buffer near 64 MB.
   */
  get prefillChunk(): number {
    if (this.io.hasLogitsToKeep) return 1024;
    return Math.max(16, Math.min(1024, Math.floor((64 * 1024 * 1024) / (4 * this.config.vocabSize))));
  }

  emptyKv(): KvState {
    return KvState.empty(this.geometry);
  }

  /** Runs `ids` after `past`; returns logits for the last `rows` positions (1 ≤ rows ≤ ids.length). */
  async step(ids: readonly number[], past: KvState, rows: number): Promise<StepOutput> {
    const s = ids.length;
    const total = past.length + s;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64(ids, [1, s]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
    };
    if (this.io.hasPositionIds || this.io.hasCachePosition) {
      const pos = new BigInt64Array(s);
      for (let i = 0; i < s; i++) pos[i] = BigInt(past.length + i);
      if (this.io.hasPositionIds) feeds.position_ids = new ort.Tensor('int64', pos, [1, s]);
      if (this.io.hasCachePosition) feeds.cache_position = new ort.Tensor('int64', pos, [s]);
    }
    if (this.io.hasLogitsToKeep) feeds.num_logits_to_keep = new ort.Tensor('int64', BigInt64Array.of(BigInt(rows)), []);
    if (this.io.hasUseCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', Uint8Array.of(past.length > 0 ? 1 : 0), [1]);
    for (let i = 0; i < this.config.numLayers; i++) {
      feeds[`past_key_values.${i}.key`] = past.tensors[2 * i];
      feeds[`past_key_values.${i}.value`] = past.tensors[2 * i + 1];
    }
    let out: ort.InferenceSession.ReturnType;
    try {
      out = await this.session.run(feeds);
    } catch (err) {
      throw new EngineError('inference-failed', `onnxruntime failed on a step of ${s} tokens after ${past.length}: ${errorMessage(err)}`, this.onnx.path, { cause: err });
    }
    const present: ort.Tensor[] = [];
    for (let i = 0; i < this.config.numLayers; i++) present.push(out[`present.${i}.key`], out[`present.${i}.value`]);
    return { logits: logitRows(out.logits, rows), kv: KvState.fromTensors(this.geometry, present) };
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

function logitRows(logits: ort.Tensor, rows: number): Float32Array[] {
  const [, n, vocab] = logits.dims;
  const data = logits.type === 'float16' ? halfToFloat32(logits.data as Uint16Array) : (logits.data as Float32Array);
  const out: Float32Array[] = [];
  for (let r = n - rows; r < n; r++) out.push(data.subarray(r * vocab, (r + 1) * vocab));
  return out;
}

async function createSession(onnx: OnnxChoice, options: LoadModelOptions, log: Logger): Promise<ort.InferenceSession> {
  const plan = planOptimizedCache(onnx.path, onnx.externalData, ort.env.versions.common, options.cacheDir);
  try {
    const session = await ort.InferenceSession.create(plan.loadPath, sessionOptions(options.threads, plan.writePath));
    if (plan.loadPath !== onnx.path) log.info(`using the optimized graph cached at ${plan.loadPath}`);
    if (plan.writePath) log.info(`cached the optimized graph at ${plan.writePath}`);
    return session;
  } catch (err) {
    if (plan.loadPath !== onnx.path) {
      // A stale or truncated cache file: drop it and load the original.
      log.warn(`optimized model cache ${plan.loadPath} failed to load (${errorMessage(err)}); using ${onnx.path}`);
      rmSync(plan.loadPath, { force: true });
      return createSession(onnx, { ...options, cacheDir: undefined }, log);
    }
    throw new EngineError('invalid-file', `onnxruntime cannot load the model: ${errorMessage(err)}`, onnx.path, { cause: err });
  }
}

function tensorMeta(session: ort.InferenceSession, name: string, inputs: boolean): ort.InferenceSession.TensorValueMetadata | undefined {
  const list = inputs ? session.inputMetadata : session.outputMetadata;
  const m = list.find((x) => x.name === name);
  return m && m.isTensor ? m : undefined;
}

/** Verifies the graph's IO against config.json and the engine contract. */
function checkGraph(session: ort.InferenceSession, config: ModelConfig, onnxPath: string, configPath: string): GraphIo {
  const inputs = new Set(session.inputNames);
  const outputs = new Set(session.outputNames);
  const mismatch = (problem: string) => new EngineError('model-mismatch', `${onnxPath} does not match ${configPath}: ${problem}`, onnxPath);
  for (const name of ['input_ids', 'attention_mask']) {
    if (!inputs.has(name)) throw mismatch(`the graph has no '${name}' input`);
  }
  if (!outputs.has('logits')) throw mismatch(`the graph has no 'logits' output`);
  const graphLayers = session.inputNames.filter((n) => /^past_key_values\.\d+\.key$/.test(n)).length;
  if (graphLayers !== config.numLayers) {
    throw mismatch(`config.json says num_hidden_layers=${config.numLayers} but the graph has ${graphLayers} layers of past_key_values inputs`);
  }
  let kvType: KvElementType | undefined;
  for (let i = 0; i < config.numLayers; i++) {
    for (const kind of ['key', 'value']) {
      const input = `past_key_values.${i}.${kind}`;
      const output = `present.${i}.${kind}`;
      if (!inputs.has(input)) throw mismatch(`missing KV input '${input}'`);
      if (!outputs.has(output)) throw mismatch(`missing KV output '${output}'`);
      const meta = tensorMeta(session, input, true);
      if (meta) {
        if (meta.type !== 'float32' && meta.type !== 'float16') throw mismatch(`'${input}' has element type ${meta.type}; expected float32 or float16`);
        kvType ??= meta.type;
        const [, heads, , dim] = meta.shape;
        if (typeof heads === 'number' && heads !== config.numKvHeads) {
          throw mismatch(`'${input}' has ${heads} KV heads but config.json implies ${config.numKvHeads} (num_key_value_heads)`);
        }
        if (typeof dim === 'number' && dim !== config.headDim) {
          throw mismatch(`'${input}' has head size ${dim} but config.json implies ${config.headDim} (head_dim)`);
        }
      }
    }
  }
  for (const name of session.inputNames) {
    if (!KNOWN_INPUTS.has(name) && !/^past_key_values\.\d+\.(key|value)$/.test(name)) throw mismatch(`unsupported input '${name}'`);
  }
  const logits = tensorMeta(session, 'logits', false);
  if (logits) {
    const vocab = logits.shape[2];
    if (typeof vocab === 'number' && vocab !== config.vocabSize) {
      throw mismatch(`'logits' has ${vocab} columns but config.json says vocab_size=${config.vocabSize}`);
    }
  }
  return {
    hasPositionIds: inputs.has('position_ids'),
    hasLogitsToKeep: inputs.has('num_logits_to_keep'),
    hasCachePosition: inputs.has('cache_position'),
    hasUseCacheBranch: inputs.has('use_cache_branch'),
    kvType: kvType ?? 'float32',
  };
}
