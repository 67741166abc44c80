/**
 * Reading the files of a model folder with errors that name the file: JSON documents and the
 * choice of ONNX weight variant (`dtype`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../base/errorText';
import { EngineError } from './shared/errors';

export type ModelDtype = 'fp32' | 'int8' | 'q4' | 'fp16';
export type DtypeChoice = 'auto' | ModelDtype;
export const DTYPE_CHOICES: readonly DtypeChoice[] = ['auto', 'fp32', 'int8', 'q4', 'fp16'];

/** File names per dtype under `onnx/`, in order of preference. */
const VARIANTS: Record<ModelDtype, readonly string[]> = {
  fp32: ['model.onnx'],
  int8: ['model_int8.onnx', 'model_quantized.onnx'],
  q4: ['model_q4.onnx', 'model_q4f16.onnx'],
  fp16: ['model_fp16.onnx'],
};

/**
 * `auto` takes the folder's recommendation (`default_onnx` in Lathe's `lathe.json` manifest),
 * else int8, fp32, q4, fp16 in that order: the smallest file that keeps quality on CPU first.
 */
const AUTO_ORDER: readonly ModelDtype[] = ['int8', 'fp32', 'q4', 'fp16'];

function dtypeOfFile(name: string): ModelDtype | undefined {
  return (Object.keys(VARIANTS) as ModelDtype[]).find((d) => VARIANTS[d].includes(name));
}

function recommendedFile(modelDir: string): string | undefined {
  const manifest = readJsonFile(join(modelDir, 'lathe.json'), false);
  const name = manifest?.default_onnx;
  return typeof name === 'string' && /^[\w.-]+\.onnx$/.test(name) ? name : undefined;
}

export interface OnnxChoice {
  readonly dtype: ModelDtype;
  readonly path: string;
  /** Bytes of the graph plus any external `.onnx_data` files. */
  readonly weightBytes: number;
  /** Whether weights live in external `.onnx_data` files next to the graph. */
  readonly externalData: boolean;
}

function fileSize(path: string): number {
  return statSync(path).size;
}

/** External weights: `model.onnx_data`, `model.onnx.data`, `model.onnx_data_1`, ... */
function externalDataSize(dir: string, file: string): number {
  let total = 0;
  for (const name of [`${file}_data`, `${file}.data`]) {
    const p = join(dir, name);
    if (existsSync(p)) total += fileSize(p);
    for (let i = 1; existsSync(`${p}_${i}`); i++) total += fileSize(`${p}_${i}`);
  }
  return total;
}

export function chooseOnnxFile(modelDir: string, choice: DtypeChoice): OnnxChoice {
  const onnxDir = join(modelDir, 'onnx');
  if (!existsSync(onnxDir)) throw new EngineError('missing-file', 'the model folder has no onnx/ directory', onnxDir);
  const found = (dtype: ModelDtype, name: string): OnnxChoice => {
    const path = join(onnxDir, name);
    const external = externalDataSize(onnxDir, name);
    return { dtype, path, weightBytes: fileSize(path) + external, externalData: external > 0 };
  };
  if (choice === 'auto') {
    const recommended = recommendedFile(modelDir);
    const dtype = recommended && dtypeOfFile(recommended);
    if (recommended && dtype && existsSync(join(onnxDir, recommended))) return found(dtype, recommended);
  }
  const order = choice === 'auto' ? AUTO_ORDER : [choice];
  for (const dtype of order) {
    for (const name of VARIANTS[dtype]) {
      if (existsSync(join(onnxDir, name))) return found(dtype, name);
    }
  }
  const wanted = order.flatMap((d) => VARIANTS[d]).join(', ');
  throw new EngineError('missing-file', `no ONNX weights for dtype '${choice}' (looked for ${wanted})`, onnxDir);
}

export function readJsonFile(path: string, required: true): Record<string, unknown>;
export function readJsonFile(path: string, required: false): Record<string, unknown> | undefined;
export function readJsonFile(path: string, required: boolean): Record<string, unknown> | undefined {
  if (!existsSync(path)) {
    if (!required) return undefined;
    throw new EngineError('missing-file', 'required file is missing', path);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new EngineError('invalid-file', `cannot read: ${errorMessage(err)}`, path, { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new EngineError('invalid-file', `not valid JSON: ${errorMessage(err)}`, path, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EngineError('invalid-file', 'expected a JSON object at the top level', path);
  }
  return value as Record<string, unknown>;
}
