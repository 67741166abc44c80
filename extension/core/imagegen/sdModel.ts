/**
 * The three onnxruntime sessions of an image model (text encoder, UNet, VAE decoder), created
 * once with the engine's session options, their IO checked against the configs. Every
 * `session.run` is timed, so the pipeline can report how much of a generation is model time.
 */
import { rmSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { Logger } from '../common/logger';
import { errorMessage } from '../../base/errorText';
import { planOptimizedCache, sessionOptions } from '../engine/worker/sessionOptions';
import { loadClipTokenizer, type ClipTokenizer } from './clipTokenizer';
import { ImageGenError } from './errors';
import { decoderIo, textEncoderIo, unetIo, type DecoderIo, type TextEncoderIo, type UnetIo } from './graphIo';
import { readImageModel, type ImageModelSpec } from './modelFolder';
import { floatTensor, idsTensor, readFloats, timestepTensor } from './tensors';

export interface LoadImageModelOptions {
  readonly modelDir: string;
  /** Intra-op threads; 0 = cores − 1. */
  readonly threads: number;
  /** Where optimized graphs are cached; none when undefined. */
  readonly cacheDir?: string;
}

/** Milliseconds inside session.run, per component, since the last reset. */
export interface RunTimes {
  textMs: number;
  unetMs: number;
  unetCalls: number;
  decoderMs: number;
  decoderCalls: number;
}

export function emptyRunTimes(): RunTimes {
  return { textMs: 0, unetMs: 0, unetCalls: 0, decoderMs: 0, decoderCalls: 0 };
}

async function createSession(path: string, options: LoadImageModelOptions, log: Logger): Promise<ort.InferenceSession> {
  const plan = planOptimizedCache(path, false, ort.env.versions.common, options.cacheDir);
  try {
    return await ort.InferenceSession.create(plan.loadPath, sessionOptions(options.threads, plan.writePath));
  } catch (err) {
    if (plan.loadPath !== path) {
      log.warn(`optimized model cache ${plan.loadPath} failed to load (${errorMessage(err)}); using ${path}`);
      rmSync(plan.loadPath, { force: true });
      return createSession(path, { ...options, cacheDir: undefined }, log);
    }
    throw new ImageGenError('invalid-file', `onnxruntime cannot load the graph: ${errorMessage(err)}`, path, { cause: err });
  }
}

export class SdModel {
  readonly times: RunTimes = emptyRunTimes();

  private constructor(
    readonly spec: ImageModelSpec,
    readonly tokenizer: ClipTokenizer,
    private readonly sessions: { text: ort.InferenceSession; unet: ort.InferenceSession; decoder: ort.InferenceSession },
    readonly io: { text: TextEncoderIo; unet: UnetIo; decoder: DecoderIo },
  ) {}

  static async load(options: LoadImageModelOptions, log: Logger): Promise<SdModel> {
    const spec = readImageModel(options.modelDir);
    const tokenizer = loadClipTokenizer(spec.tokenizerDir, spec.textEncoder.maxPositions);
    const started = performance.now();
    const created: ort.InferenceSession[] = [];
    try {
      const text = await createSession(spec.files.textEncoder, options, log);
      created.push(text);
      const unet = await createSession(spec.files.unet, options, log);
      created.push(unet);
      const decoder = await createSession(spec.files.decoder, options, log);
      created.push(decoder);
      const io = { text: textEncoderIo(text, spec, tokenizer.maxLength), unet: unetIo(unet, spec), decoder: decoderIo(decoder, spec) };
      log.info(
        `loaded image model ${spec.dir} in ${(performance.now() - started).toFixed(0)} ms: ${spec.unet.inChannels} latent channels, ` +
          `latent factor ${spec.decoder.latentFactor}, UNet ${io.unet.sampleType} (timestep ${io.unet.timestepType} ${io.unet.timestepShape}), ` +
          `tokenizer from ${tokenizer.source}`,
      );
      return new SdModel(spec, tokenizer, { text, unet, decoder }, io);
    } catch (err) {
      await Promise.all(created.map((s) => s.release()));
      throw err;
    }
  }

  private async run(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, file: string): Promise<{ out: ort.InferenceSession.ReturnType; ms: number }> {
    const t0 = performance.now();
    try {
      const out = await session.run(feeds);
      return { out, ms: performance.now() - t0 };
    } catch (err) {
      throw new ImageGenError('inference-failed', `onnxruntime failed: ${errorMessage(err)}`, file, { cause: err });
    }
  }

  /** Hidden states [rows, seq, hidden] for rows of token ids (run in chunks when the export has a fixed batch). */
  async encodeText(rows: readonly (readonly number[])[]): Promise<Float32Array> {
    const io = this.io.text;
    const chunk = io.fixedBatch ?? rows.length;
    const parts: Float32Array[] = [];
    for (let i = 0; i < rows.length; i += chunk) {
      const { out, ms } = await this.run(this.sessions.text, { [io.idsName]: idsTensor(io.idsType, rows.slice(i, i + chunk)) }, this.spec.files.textEncoder);
      this.times.textMs += ms;
      parts.push(readFloats(out[io.output], `${this.spec.files.textEncoder} '${io.output}'`));
    }
    return concat(parts);
  }

  /** One UNet call: latents [b, c, h, w], the timestep, text states [b, seq, hidden]. */
  async unet(sample: Float32Array, dims: readonly number[], t: number, context: Float32Array, contextDims: readonly number[], cond?: Float32Array): Promise<Float32Array> {
    const io = this.io.unet;
    const [b] = dims;
    const chunk = io.fixedBatch ?? b;
    const per = sample.length / b;
    const perCtx = context.length / b;
    const parts: Float32Array[] = [];
    for (let i = 0; i < b; i += chunk) {
      const n = Math.min(chunk, b - i);
      const feeds: Record<string, ort.Tensor> = {
        sample: floatTensor(io.sampleType, sample.subarray(i * per, (i + n) * per), [n, ...dims.slice(1)]),
        timestep: timestepTensor(io.timestepType, io.timestepShape, t, n),
        encoder_hidden_states: floatTensor(io.contextType, context.subarray(i * perCtx, (i + n) * perCtx), [n, ...contextDims.slice(1)]),
      };
      if (io.timestepCond && cond) {
        const dim = cond.length;
        const rows = new Float32Array(n * dim);
        for (let r = 0; r < n; r++) rows.set(cond, r * dim);
        feeds[io.timestepCond.name] = floatTensor(io.timestepCond.type, rows, [n, dim]);
      }
      const { out, ms } = await this.run(this.sessions.unet, feeds, this.spec.files.unet);
      this.times.unetMs += ms;
      this.times.unetCalls++;
      parts.push(readFloats(out[io.output], `${this.spec.files.unet} '${io.output}'`));
    }
    const result = concat(parts);
    if (result.length !== sample.length) {
      throw new ImageGenError('model-mismatch', `mismatched latent shapes: the UNet returned ${result.length} values for a sample of ${sample.length}`, this.spec.files.unet);
    }
    return result;
  }

  /** Decodes latents [b, c, h, w] (already divided by the scaling factor) to RGB in [-1, 1], [b, 3, H, W]. */
  async decode(latents: Float32Array, dims: readonly number[]): Promise<{ data: Float32Array; height: number; width: number }> {
    const io = this.io.decoder;
    const [b] = dims;
    const chunk = io.fixedBatch ?? b;
    const per = latents.length / b;
    const parts: Float32Array[] = [];
    let height = 0;
    let width = 0;
    for (let i = 0; i < b; i += chunk) {
      const n = Math.min(chunk, b - i);
      const { out, ms } = await this.run(this.sessions.decoder, { [io.input]: floatTensor(io.inputType, latents.subarray(i * per, (i + n) * per), [n, ...dims.slice(1)]) }, this.spec.files.decoder);
      this.times.decoderMs += ms;
      this.times.decoderCalls++;
      const t = out[io.output];
      [, , height, width] = t.dims;
      if (t.dims[1] !== 3) throw new ImageGenError('model-mismatch', `'${io.output}' has ${t.dims[1]} channels; expected 3`, this.spec.files.decoder);
      parts.push(readFloats(t, `${this.spec.files.decoder} '${io.output}'`));
    }
    return { data: concat(parts), height, width };
  }

  resetTimes(): void {
    Object.assign(this.times, emptyRunTimes());
  }

  async dispose(): Promise<void> {
    await Promise.all([this.sessions.text.release(), this.sessions.unet.release(), this.sessions.decoder.release()]);
  }
}

function concat(parts: Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0];
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
