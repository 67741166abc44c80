/**
 * Text → image: tokenize the prompt (and the negative prompt for classifier-free guidance),
 * encode it, denoise seeded latents with the chosen scheduler, decode them with the VAE.
 * Progress is reported after every step (with a preview of image 0 when asked and cheap
 * enough); cancellation is honoured between steps. Runs wherever its SdModel lives: the image
 * worker thread in the editor, the process itself in the CLI.
 */
import { ImageGenError } from './errors';
import { GaussianNoise } from './gaussian';
import { resolveParams, type ImageParams, type ImageRequest } from './params';
import { createScheduler } from './schedulers/index';
import type { SdModel } from './sdModel';

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** Row-major RGB, 3 bytes per pixel. */
  readonly rgb: Uint8Array;
}

export interface GeneratedImage extends RgbImage {
  /** The seed that reproduces this image alone (batch item i: seed + i). */
  readonly seed: number;
}

export interface ImageTimings {
  readonly totalMs: number;
  /** The denoising loop (all steps). */
  readonly stepsMs: number;
  readonly msPerStep: number;
  readonly textMs: number;
  readonly unetMs: number;
  readonly unetCalls: number;
  /** Final decode (previews excluded). */
  readonly decoderMs: number;
  readonly previewMs: number;
  /** Time inside session.run of any component; the rest is pipeline overhead. */
  readonly runMs: number;
  readonly overheadMs: number;
}

export interface ImageResult {
  readonly images: GeneratedImage[];
  readonly params: ImageParams;
  readonly model: string;
  /** Set when a prompt was longer than the text encoder's limit: the text that was cut off. */
  readonly truncated?: { readonly prompt?: string; readonly negativePrompt?: string };
  readonly timings: ImageTimings;
}

export interface ImageProgress {
  readonly step: number;
  readonly steps: number;
  readonly preview?: RgbImage;
}

export interface PipelineHooks {
  readonly isAborted?: () => boolean;
  readonly onProgress?: (progress: ImageProgress) => void;
}

/** [b, 3, H, W] in [−1, 1] → one RGB image per batch item. */
export function toRgbImages(data: Float32Array, batch: number, height: number, width: number): RgbImage[] {
  const plane = height * width;
  const out: RgbImage[] = [];
  for (let b = 0; b < batch; b++) {
    const rgb = new Uint8Array(plane * 3);
    const base = b * 3 * plane;
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < 3; c++) {
        const v = data[base + c * plane + p] / 2 + 0.5;
        rgb[p * 3 + c] = Math.round(Math.min(1, Math.max(0, v)) * 255);
      }
    }
    out.push({ width, height, rgb });
  }
  return out;
}

/** LCM-distilled UNets take the guidance scale as a sinusoidal embedding of (g − 1) · 1000. */
export function guidanceEmbedding(guidance: number, dim: number): Float32Array {
  const w = (guidance - 1) * 1000;
  const half = Math.floor(dim / 2);
  const out = new Float32Array(dim);
  const scale = Math.log(10000) / Math.max(1, half - 1);
  for (let i = 0; i < half; i++) {
    const v = w * Math.exp(-scale * i);
    out[i] = Math.sin(v);
    out[half + i] = Math.cos(v);
  }
  return out;
}

function checkAbort(hooks: PipelineHooks): void {
  if (hooks.isAborted?.()) throw new ImageGenError('aborted', 'image generation was cancelled');
}

export async function generateImages(model: SdModel, request: ImageRequest, hooks: PipelineHooks = {}): Promise<ImageResult> {
  const started = performance.now();
  const spec = model.spec;
  const params = resolveParams(request, spec, model.io.unet.fixedSize);
  model.resetTimes();
  checkAbort(hooks);

  const b = params.batch;
  const timestepCond = model.io.unet.timestepCond && spec.unet.timeCondProjDim ? guidanceEmbedding(params.guidance, spec.unet.timeCondProjDim) : undefined;
  const cfg = params.guidance > 1 && !timestepCond;
  const pos = model.tokenizer.encode(params.prompt);
  const neg = cfg ? model.tokenizer.encode(params.negativePrompt) : undefined;
  const copies = (ids: number[]) => Array.from({ length: b }, () => ids);
  const rows = [...(neg ? copies(neg.ids) : []), ...copies(pos.ids)];
  const context = await model.encodeText(rows);
  const seq = model.tokenizer.maxLength;
  const contextDims = [rows.length, seq, context.length / (rows.length * seq)];

  const c = spec.unet.inChannels;
  const h = params.height / spec.decoder.latentFactor;
  const w = params.width / spec.decoder.latentFactor;
  const per = c * h * w;
  if (params.scheduler === 'lcm' && params.steps > spec.scheduler.originalInferenceSteps) {
    throw new ImageGenError('invalid-parameter', `steps must be at most ${spec.scheduler.originalInferenceSteps} for LCM (the model's original_inference_steps; got ${params.steps})`, 'steps');
  }
  const scheduler = createScheduler(params.scheduler, spec.scheduler, params.steps);
  const noises = Array.from({ length: b }, (_, i) => new GaussianNoise((params.seed + i) >>> 0));
  let latents: Float32Array[] = noises.map((n) => n.fill(per).map((v) => v * scheduler.initNoiseSigma));

  const loopStart = performance.now();
  let previewMs = 0;
  let lastPreviewCost = 0;
  let lastPreviewEnd = 0;
  const n = cfg ? 2 * b : b;
  for (let i = 0; i < scheduler.timesteps.length; i++) {
    checkAbort(hooks);
    const input = new Float32Array(n * per);
    for (let k = 0; k < b; k++) {
      const scaled = scheduler.scaleModelInput(latents[k], i);
      input.set(scaled, k * per);
      if (cfg) input.set(scaled, (b + k) * per);
    }
    const out = await model.unet(input, [n, c, h, w], scheduler.timesteps[i], context, contextDims, timestepCond);
    const x0s: Float32Array[] = [];
    latents = latents.map((x, k) => {
      let guided = out.subarray((cfg ? b + k : k) * per, ((cfg ? b + k : k) + 1) * per);
      if (cfg) {
        const u = out.subarray(k * per, (k + 1) * per);
        const g = new Float32Array(per);
        for (let j = 0; j < per; j++) g[j] = u[j] + params.guidance * (guided[j] - u[j]);
        guided = g;
      }
      const r = scheduler.step(guided, i, x, (count) => noises[k].fill(count));
      x0s.push(r.predOriginal);
      return r.prevSample;
    });
    let preview: RgbImage | undefined;
    const now = performance.now();
    // Previews decode x̂₀ of image 0; when the decoder is slow they are spaced so that they
    // take at most about a third of the time.
    if (request.previews && i < scheduler.timesteps.length - 1 && now - lastPreviewEnd >= 2 * lastPreviewCost) {
      const p0 = performance.now();
      const scaledX0 = x0s[0].map((v) => v / spec.decoder.scalingFactor);
      const decoded = await model.decode(scaledX0, [1, c, h, w]);
      preview = toRgbImages(decoded.data, 1, decoded.height, decoded.width)[0];
      lastPreviewCost = performance.now() - p0;
      lastPreviewEnd = performance.now();
      previewMs += lastPreviewCost;
    }
    hooks.onProgress?.({ step: i + 1, steps: scheduler.timesteps.length, preview });
  }
  const stepsMs = performance.now() - loopStart - previewMs;
  checkAbort(hooks);

  const decoderBefore = model.times.decoderMs;
  const all = new Float32Array(b * per);
  latents.forEach((x, k) => all.set(x.map((v) => v / spec.decoder.scalingFactor), k * per));
  const decoded = await model.decode(all, [b, c, h, w]);
  const decoderMs = model.times.decoderMs - decoderBefore;
  const images = toRgbImages(decoded.data, b, decoded.height, decoded.width).map((img, k) => ({ ...img, seed: (params.seed + k) >>> 0 }));

  const totalMs = performance.now() - started;
  const t = model.times;
  const runMs = t.textMs + t.unetMs + t.decoderMs;
  const truncated = pos.truncated || neg?.truncated ? { prompt: pos.droppedText, negativePrompt: neg?.droppedText } : undefined;
  return {
    images,
    params,
    model: spec.name,
    truncated,
    timings: {
      totalMs,
      stepsMs,
      msPerStep: stepsMs / scheduler.timesteps.length,
      textMs: t.textMs,
      unetMs: t.unetMs,
      unetCalls: t.unetCalls,
      decoderMs,
      previewMs,
      runMs,
      overheadMs: totalMs - runMs,
    },
  };
}
