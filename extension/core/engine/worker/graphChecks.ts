/**
 * Checks of an ONNX decoder against its folder, before and after onnxruntime loads it. Each
 * failure is an EngineError naming the file and the mismatch:
 *
 * - before loading (from the protobuf, `core/models/onnxGraph`): external weight files that are
 *   missing or shorter than the graph says, past and present KV tensors of different element
 *   types (a float16 graph declaring float32 KV, or the reverse);
 * - when onnxruntime refuses the graph: an operator the runtime build does not have (a 4-bit
 *   `MatMulNBits` graph on a build without the com.microsoft contrib ops), or a type error that
 *   the graph's own KV declarations explain;
 * - after loading (session metadata): inputs, outputs, layer count, KV heads, head size and
 *   vocabulary against config.json.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import { errorMessage } from '../../../base/errorText';
import type { ModelConfig } from '../../models/config';
import type { OnnxGraphInfo, OnnxValueInfo } from '../../models/onnxGraph';
import { EngineError } from '../shared/errors';
import type { KvElementType } from './kvState';

export interface GraphIo {
  readonly hasPositionIds: boolean;
  readonly hasLogitsToKeep: boolean;
  readonly hasCachePosition: boolean;
  readonly hasUseCacheBranch: boolean;
  readonly kvType: KvElementType;
  /**
   * The graph returns each step's own KV rows (`present_step.{i}.key|value`, Lathe's fused export)
   * and reads only the valid part of longer past buffers: the engine keeps KV in an arena.
   */
  readonly hasStepOutputs: boolean;
}

const KNOWN_INPUTS = new Set(['input_ids', 'attention_mask', 'position_ids', 'num_logits_to_keep', 'cache_position', 'use_cache_branch']);
const KV_INPUT = /^past_key_values\.(\d+)\.(key|value)$/;

/** External weight files exist and hold every byte the graph points into. */
export function checkExternalData(graph: OnnxGraphInfo): void {
  const dir = dirname(graph.path);
  const needed = new Map<string, { end: number; tensor: string }>();
  for (const ref of graph.external) {
    const end = ref.offset + ref.length;
    const seen = needed.get(ref.location);
    if (!seen || end > seen.end) needed.set(ref.location, { end, tensor: ref.tensor });
  }
  for (const [location, { end, tensor }] of needed) {
    const file = join(dir, location);
    if (!existsSync(file)) {
      throw new EngineError('missing-file', `the external weight file ${file} is missing: ${basename(graph.path)} keeps its weights there (tensor '${tensor}' and others)`, file);
    }
    const size = statSync(file).size;
    if (size < end) {
      throw new EngineError(
        'invalid-file',
        `the external weight file ${file} is truncated: it has ${size} bytes but ${basename(graph.path)} reads up to byte ${end} (tensor '${tensor}')`,
        file,
      );
    }
  }
}

function kvPairs(graph: OnnxGraphInfo): Array<{ input: OnnxValueInfo; output?: OnnxValueInfo }> {
  const outputs = new Map(graph.outputs.map((o) => [o.name, o]));
  return graph.inputs.filter((i) => KV_INPUT.test(i.name)).map((input) => ({ input, output: outputs.get(input.name.replace(/^past_key_values\./, 'present.')) }));
}

/** Past and present KV tensors share one float element type across all layers. */
export function checkKvTypes(graph: OnnxGraphInfo): void {
  const mismatch = (problem: string) => new EngineError('model-mismatch', `${graph.path}: ${problem}`, graph.path);
  let first: OnnxValueInfo | undefined;
  for (const { input, output } of kvPairs(graph)) {
    if (input.elemType !== 'float32' && input.elemType !== 'float16') {
      throw mismatch(`'${input.name}' has element type ${input.elemType}; expected float32 or float16`);
    }
    if (output && output.elemType !== input.elemType) {
      throw mismatch(`'${input.name}' is ${input.elemType} but '${output.name}' is ${output.elemType}: each step's present KV is fed back as the next step's past, so both must have one type`);
    }
    first ??= input;
    if (input.elemType !== first.elemType) throw mismatch(`'${first.name}' is ${first.elemType} but '${input.name}' is ${input.elemType}: all KV tensors must have one type`);
  }
}

/** The weights' float type when one dominates ('float16' for an fp16 export), else undefined. */
function weightFloatType(graph: OnnxGraphInfo): 'float16' | 'float32' | undefined {
  const f16 = graph.bytesByType.get('float16') ?? 0;
  const f32 = graph.bytesByType.get('float32') ?? 0;
  if (f16 > 4 * f32) return 'float16';
  if (f32 > 4 * f16 && f32 > 0) return 'float32';
  return undefined;
}

/** An onnxruntime load failure, explained from the graph where it can be. */
export function explainLoadFailure(err: unknown, graph: OnnxGraphInfo | undefined, path: string): EngineError {
  const message = errorMessage(err);
  const op = /(?:([\w.]+):)?(\w+)\(-?\d+\) is not a registered function\/op|Could not find an implementation for (\w+)\(\d+\)/.exec(message);
  if (op) {
    const domain = op[1] ?? '';
    const name = op[2] ?? op[3];
    const contrib = domain === 'com.microsoft' || (graph?.ops.has(`com.microsoft:${name}`) ?? false);
    const why = contrib
      ? `it needs the onnxruntime contrib operator com.microsoft:${name}, which this onnxruntime build does not provide (use a plain-opset export of the model, e.g. its int8 or fp32 file, or an onnxruntime build with contrib ops)`
      : `it needs the operator ${domain ? `${domain}:` : ''}${name}, which this onnxruntime build does not provide`;
    return new EngineError('unsupported-op', `onnxruntime cannot load the model: ${why} (${message})`, path, { cause: err });
  }
  if (graph && /type|Type/.test(message)) {
    const kv = kvPairs(graph)[0]?.input;
    const weights = weightFloatType(graph);
    if (kv && weights && kv.elemType !== weights) {
      return new EngineError(
        'model-mismatch',
        `onnxruntime cannot load the model: its weights are ${weights} but its KV inputs (e.g. '${kv.name}') are declared ${kv.elemType} (${message})`,
        path,
        { cause: err },
      );
    }
  }
  return new EngineError('invalid-file', `onnxruntime cannot load the model: ${message}`, path, { cause: err });
}

function tensorMeta(session: ort.InferenceSession, name: string, inputs: boolean): ort.InferenceSession.TensorValueMetadata | undefined {
  const list = inputs ? session.inputMetadata : session.outputMetadata;
  const m = list.find((x) => x.name === name);
  return m && m.isTensor ? m : undefined;
}

/** Verifies the loaded graph's IO against config.json and the engine contract. */
export function checkSessionIo(session: ort.InferenceSession, config: ModelConfig, onnxPath: string, configPath: string): GraphIo {
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
    if (!KNOWN_INPUTS.has(name) && !KV_INPUT.test(name)) throw mismatch(`unsupported input '${name}'`);
  }
  const logits = tensorMeta(session, 'logits', false);
  if (logits) checkVocab(logits.shape[2], config, onnxPath, configPath);
  return {
    hasPositionIds: inputs.has('position_ids'),
    hasLogitsToKeep: inputs.has('num_logits_to_keep'),
    hasCachePosition: inputs.has('cache_position'),
    hasUseCacheBranch: inputs.has('use_cache_branch'),
    kvType: kvType ?? 'float32',
    hasStepOutputs: Array.from({ length: config.numLayers }, (_, i) => i).every((i) => outputs.has(`present_step.${i}.key`) && outputs.has(`present_step.${i}.value`)),
  };
}

/** The logits' width (from the graph, or from a step when the graph leaves it symbolic) against config.json. */
export function checkVocab(columns: number | string | undefined, config: ModelConfig, onnxPath: string, configPath: string): void {
  if (typeof columns === 'number' && columns !== config.vocabSize) {
    throw new EngineError(
      'model-mismatch',
      `${onnxPath} does not match ${configPath}: 'logits' has ${columns} columns but config.json says vocab_size=${config.vocabSize}`,
      onnxPath,
    );
  }
}
