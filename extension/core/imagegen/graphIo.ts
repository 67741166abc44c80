/**
 * What each of the three graphs takes and returns, read from the onnxruntime session metadata
 * and checked against the folder's configs: input names, element types, ranks, fixed sizes.
 * Any disagreement is a `model-mismatch` naming the graph file and the input.
 */
import type * as ort from 'onnxruntime-node';
import { ImageGenError } from './errors';
import type { ImageModelSpec } from './modelFolder';
import type { FloatType, IdType, TimestepShape, TimestepType } from './tensors';

type Meta = ort.InferenceSession.TensorValueMetadata;
type Dim = number | string;

export interface TextEncoderIo {
  readonly idsName: string;
  readonly idsType: IdType;
  readonly output: string;
  readonly outputType: FloatType;
  /** A fixed batch size the graph was exported with (static exports), else undefined. */
  readonly fixedBatch?: number;
}

export interface UnetIo {
  readonly sampleType: FloatType;
  readonly timestepType: TimestepType;
  readonly timestepShape: TimestepShape;
  readonly contextType: FloatType;
  readonly output: string;
  readonly fixedBatch?: number;
  /** Fixed latent height/width, when the export has them. */
  readonly fixedSize?: { readonly height?: number; readonly width?: number };
  /** LCM-distilled UNets: the guidance embedding input and its element type. */
  readonly timestepCond?: { readonly name: string; readonly type: FloatType };
}

export interface DecoderIo {
  readonly input: string;
  readonly inputType: FloatType;
  readonly output: string;
  readonly fixedBatch?: number;
}

function metaOf(list: readonly ort.InferenceSession.ValueMetadata[], name: string): Meta | undefined {
  const m = list.find((x) => x.name === name);
  return m && m.isTensor ? m : undefined;
}

function mismatch(file: string, problem: string): ImageGenError {
  return new ImageGenError('model-mismatch', problem, file);
}

function floatType(file: string, m: Meta): FloatType {
  if (m.type === 'float32' || m.type === 'float16') return m.type;
  throw mismatch(file, `'${m.name}' has element type ${m.type}; expected float32 or float16`);
}

function fixed(d: Dim | undefined): number | undefined {
  return typeof d === 'number' && d > 0 ? d : undefined;
}

function requireRank(file: string, m: Meta, rank: number): void {
  if (m.shape.length !== rank) throw mismatch(file, `'${m.name}' has rank ${m.shape.length} (${JSON.stringify(m.shape)}); expected ${rank}`);
}

function firstOutput(session: ort.InferenceSession, preferred: string, file: string): Meta {
  const m = metaOf(session.outputMetadata, preferred) ?? (session.outputMetadata[0]?.isTensor ? (session.outputMetadata[0]) : undefined);
  if (!m) throw mismatch(file, `the graph has no '${preferred}' output`);
  return m;
}

export function textEncoderIo(session: ort.InferenceSession, spec: ImageModelSpec, maxLength: number): TextEncoderIo {
  const file = spec.files.textEncoder;
  const ids = metaOf(session.inputMetadata, 'input_ids');
  if (!ids) throw mismatch(file, `the graph has no 'input_ids' input (inputs: ${session.inputNames.join(', ')})`);
  if (ids.type !== 'int32' && ids.type !== 'int64') throw mismatch(file, `'input_ids' has element type ${ids.type}; expected int32 or int64`);
  requireRank(file, ids, 2);
  const seq = fixed(ids.shape[1]);
  if (seq !== undefined && seq !== maxLength) throw mismatch(file, `'input_ids' takes ${seq} tokens but the tokenizer pads prompts to ${maxLength} (model_max_length)`);
  const out = firstOutput(session, 'last_hidden_state', file);
  requireRank(file, out, 3);
  const hidden = fixed(out.shape[2]);
  if (hidden !== undefined && hidden !== spec.textEncoder.hiddenSize) {
    throw mismatch(file, `'${out.name}' has width ${hidden} but text_encoder/config.json says hidden_size=${spec.textEncoder.hiddenSize}`);
  }
  return { idsName: 'input_ids', idsType: ids.type, output: out.name, outputType: floatType(file, out), fixedBatch: fixed(ids.shape[0]) };
}

const TIMESTEP_TYPES: readonly string[] = ['int64', 'int32', 'float32', 'float16', 'float64'];
const KNOWN_UNET_INPUTS = new Set(['sample', 'timestep', 'encoder_hidden_states', 'timestep_cond']);

export function unetIo(session: ort.InferenceSession, spec: ImageModelSpec): UnetIo {
  const file = spec.files.unet;
  for (const name of ['sample', 'timestep', 'encoder_hidden_states']) {
    if (!metaOf(session.inputMetadata, name)) throw mismatch(file, `the graph has no '${name}' input (inputs: ${session.inputNames.join(', ')})`);
  }
  for (const name of session.inputNames) {
    if (!KNOWN_UNET_INPUTS.has(name)) {
      const hint = name === 'text_embeds' || name === 'time_ids' ? ' (an SDXL UNet; Lathe runs SD 1.x/2.x-style UNets)' : '';
      throw mismatch(file, `unsupported UNet input '${name}'${hint}`);
    }
  }
  const sample = metaOf(session.inputMetadata, 'sample')!;
  const ts = metaOf(session.inputMetadata, 'timestep')!;
  const ctx = metaOf(session.inputMetadata, 'encoder_hidden_states')!;
  requireRank(file, sample, 4);
  requireRank(file, ctx, 3);
  const channels = fixed(sample.shape[1]);
  if (channels !== undefined && channels !== spec.unet.inChannels) {
    throw mismatch(file, `mismatched latent shapes: 'sample' has ${channels} channels but unet/config.json says in_channels=${spec.unet.inChannels}`);
  }
  const ctxWidth = fixed(ctx.shape[2]);
  if (ctxWidth !== undefined && ctxWidth !== spec.unet.crossAttentionDim) {
    throw mismatch(file, `'encoder_hidden_states' has width ${ctxWidth} but unet/config.json says cross_attention_dim=${spec.unet.crossAttentionDim}`);
  }
  if (!TIMESTEP_TYPES.includes(ts.type)) throw mismatch(file, `'timestep' has element type ${ts.type}; expected an integer or float type`);
  let timestepShape: TimestepShape;
  if (ts.shape.length === 0) timestepShape = 'scalar';
  else if (ts.shape.length === 1 && ts.shape[0] === 1) timestepShape = 'one';
  else if (ts.shape.length === 1) timestepShape = 'batch';
  else throw mismatch(file, `'timestep' has shape ${JSON.stringify(ts.shape)}; expected a scalar, [1] or [batch]`);
  const out = firstOutput(session, 'out_sample', file);
  requireRank(file, out, 4);
  const outChannels = fixed(out.shape[1]);
  if (outChannels !== undefined && outChannels !== spec.unet.outChannels) {
    throw mismatch(file, `mismatched latent shapes: '${out.name}' has ${outChannels} channels but unet/config.json says out_channels=${spec.unet.outChannels}`);
  }
  const cond = metaOf(session.inputMetadata, 'timestep_cond');
  return {
    sampleType: floatType(file, sample),
    timestepType: ts.type as TimestepType,
    timestepShape,
    contextType: floatType(file, ctx),
    output: out.name,
    fixedBatch: fixed(sample.shape[0]),
    fixedSize: fixed(sample.shape[2]) || fixed(sample.shape[3]) ? { height: fixed(sample.shape[2]), width: fixed(sample.shape[3]) } : undefined,
    timestepCond: cond ? { name: cond.name, type: floatType(file, cond) } : undefined,
  };
}

export function decoderIo(session: ort.InferenceSession, spec: ImageModelSpec): DecoderIo {
  const file = spec.files.decoder;
  const input = metaOf(session.inputMetadata, 'latent_sample');
  if (!input) throw mismatch(file, `the graph has no 'latent_sample' input (inputs: ${session.inputNames.join(', ')})`);
  requireRank(file, input, 4);
  const channels = fixed(input.shape[1]);
  if (channels !== undefined && channels !== spec.decoder.latentChannels) {
    throw mismatch(file, `mismatched latent shapes: 'latent_sample' has ${channels} channels but vae_decoder/config.json says latent_channels=${spec.decoder.latentChannels}`);
  }
  const out = firstOutput(session, 'sample', file);
  requireRank(file, out, 4);
  const rgb = fixed(out.shape[1]);
  if (rgb !== undefined && rgb !== 3) throw mismatch(file, `'${out.name}' has ${rgb} channels; expected 3 (RGB)`);
  return { input: input.name, inputType: floatType(file, input), output: out.name, fixedBatch: fixed(input.shape[0]) };
}
