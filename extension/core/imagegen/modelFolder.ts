/**
 * Reads an image model folder in the Stable Diffusion ONNX layout (as Hugging Face Optimum and
 * onnx-community export it, and as Lathe's own image model is exported):
 *
 *   model_index.json, tokenizer/, text_encoder/{model.onnx,config.json}, unet/{model.onnx,config.json},
 *   vae_decoder/{model.onnx,config.json}, scheduler/scheduler_config.json, optional lathe.json
 *
 * and checks what can be checked without onnxruntime: every component and config is there, the
 * UNet's latent channels match the decoder's, the text encoder's width matches the UNet's
 * cross-attention. A text model folder or any other folder gets a clear "not an image model".
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ImageGenError } from './errors';
import { JsonFields, readJsonObject, type JsonObject } from './jsonFile';
import { readSchedulerConfig, SCHEDULER_NAMES, type SchedulerConfig, type SchedulerName } from './schedulerConfig';

export interface ImageModelDefaults {
  readonly steps: number;
  readonly guidance: number;
  readonly scheduler: SchedulerName;
  readonly width: number;
  readonly height: number;
}

export interface ImageModelSpec {
  readonly dir: string;
  /** The folder's name, or lathe.json's `name`. */
  readonly name: string;
  readonly tokenizerDir: string;
  readonly files: { readonly textEncoder: string; readonly unet: string; readonly decoder: string };
  readonly textEncoder: { readonly hiddenSize: number; readonly maxPositions: number };
  readonly unet: {
    readonly inChannels: number;
    readonly outChannels: number;
    readonly sampleSize: number;
    readonly crossAttentionDim: number;
    /** LCM-distilled UNets take a guidance embedding of this size (`timestep_cond`). */
    readonly timeCondProjDim?: number;
  };
  readonly decoder: { readonly latentChannels: number; readonly scalingFactor: number; readonly latentFactor: number };
  readonly scheduler: SchedulerConfig;
  readonly schedulerFile: string;
  readonly defaults: ImageModelDefaults;
}

const COMPONENTS = ['text_encoder', 'unet', 'vae_decoder'] as const;

function notImageModel(dir: string, why: string): ImageGenError {
  return new ImageGenError('not-image-model', `not an image model folder in the Stable Diffusion ONNX layout: ${why}`, dir);
}

function requireFile(path: string, what: string): string {
  if (!existsSync(path)) throw new ImageGenError('missing-file', `${what} is missing`, path);
  return path;
}

function readDefaults(dir: string, scheduler: SchedulerConfig, sampleSize: number, latentFactor: number, lathe: JsonObject | undefined): ImageModelDefaults {
  const native = sampleSize * latentFactor;
  const fallback: ImageModelDefaults = { steps: 20, guidance: 7.5, scheduler: scheduler.defaultScheduler, width: native, height: native };
  if (!lathe) return fallback;
  const d = lathe.defaults;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return fallback;
  const defaults = new JsonFields(d as JsonObject, `${join(dir, 'lathe.json')} "defaults"`);
  return {
    steps: defaults.positiveInt('steps', fallback.steps),
    guidance: defaults.number('guidance', fallback.guidance),
    scheduler: defaults.oneOf('scheduler', SCHEDULER_NAMES, fallback.scheduler),
    width: defaults.positiveInt('width', fallback.width),
    height: defaults.positiveInt('height', fallback.height),
  };
}

export function readImageModel(modelDir: string): ImageModelSpec {
  const dir = resolve(modelDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ImageGenError('missing-file', 'the image model folder does not exist', dir);
  const indexFile = join(dir, 'model_index.json');
  if (!existsSync(indexFile)) {
    if (existsSync(join(dir, 'config.json')) || existsSync(join(dir, 'onnx'))) {
      throw notImageModel(dir, 'it looks like a text model (config.json / onnx/) and has no model_index.json');
    }
    throw notImageModel(dir, 'model_index.json is missing');
  }
  const index = readJsonObject(indexFile);
  const missing = ['unet', 'text_encoder'].filter((k) => !(k in index));
  if (missing.length > 0) throw notImageModel(dir, `${indexFile} lists no ${missing.join(' or ')}`);
  if (!('vae_decoder' in index) && 'vae' in index) {
    throw notImageModel(dir, `${indexFile} describes a PyTorch pipeline (vae, not vae_decoder): export it to ONNX first`);
  }
  for (const c of COMPONENTS) {
    if (!existsSync(join(dir, c))) throw new ImageGenError('missing-file', `the ${c} component folder is missing`, join(dir, c));
  }
  const files = {
    textEncoder: requireFile(join(dir, 'text_encoder', 'model.onnx'), 'the text encoder graph'),
    unet: requireFile(join(dir, 'unet', 'model.onnx'), 'the UNet graph'),
    decoder: requireFile(join(dir, 'vae_decoder', 'model.onnx'), 'the VAE decoder graph'),
  };
  const teFile = join(dir, 'text_encoder', 'config.json');
  const unetFile = join(dir, 'unet', 'config.json');
  const vaeFile = join(dir, 'vae_decoder', 'config.json');
  const te = new JsonFields(readJsonObject(teFile), teFile);
  const un = new JsonFields(readJsonObject(unetFile), unetFile);
  const vae = new JsonFields(readJsonObject(vaeFile), vaeFile);
  const schedulerFile = join(dir, 'scheduler', 'scheduler_config.json');
  const scheduler = readSchedulerConfig(schedulerFile);
  const tokenizerDir = join(dir, 'tokenizer');
  if (!existsSync(tokenizerDir)) throw new ImageGenError('missing-file', 'the tokenizer folder is missing', tokenizerDir);

  const unet = {
    inChannels: un.positiveInt('in_channels', 4),
    outChannels: un.positiveInt('out_channels', 4),
    sampleSize: un.positiveInt('sample_size', 64),
    crossAttentionDim: un.positiveInt('cross_attention_dim'),
    timeCondProjDim: un.doc.time_cond_proj_dim == null ? undefined : un.positiveInt('time_cond_proj_dim'),
  };
  const blocks = vae.numberArray('block_out_channels');
  const decoder = {
    latentChannels: vae.positiveInt('latent_channels', 4),
    scalingFactor: vae.number('scaling_factor', 0.18215),
    latentFactor: 2 ** Math.max(0, (blocks?.length ?? 4) - 1),
  };
  const textEncoder = { hiddenSize: te.positiveInt('hidden_size'), maxPositions: te.positiveInt('max_position_embeddings', 77) };

  if (decoder.scalingFactor <= 0) throw new ImageGenError('invalid-file', `"scaling_factor" must be > 0 (found ${decoder.scalingFactor})`, vaeFile);
  if (unet.inChannels !== decoder.latentChannels || unet.outChannels !== decoder.latentChannels) {
    throw new ImageGenError(
      'model-mismatch',
      `mismatched latent shapes: ${unetFile} has in_channels=${unet.inChannels}, out_channels=${unet.outChannels} but ${vaeFile} has latent_channels=${decoder.latentChannels}`,
      unetFile,
    );
  }
  if (unet.crossAttentionDim !== textEncoder.hiddenSize) {
    throw new ImageGenError(
      'model-mismatch',
      `${unetFile} has cross_attention_dim=${unet.crossAttentionDim} but ${teFile} has hidden_size=${textEncoder.hiddenSize}`,
      unetFile,
    );
  }
  const latheFile = join(dir, 'lathe.json');
  const lathe = existsSync(latheFile) ? readJsonObject(latheFile) : undefined;
  const name = typeof lathe?.name === 'string' ? lathe.name : basename(dir);
  const defaults = readDefaults(dir, scheduler, unet.sampleSize, decoder.latentFactor, lathe);
  return { dir, name, tokenizerDir, files, textEncoder, unet, decoder, scheduler, schedulerFile, defaults };
}
