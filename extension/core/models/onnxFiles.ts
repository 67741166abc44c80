/**
 * The ONNX weight variants of a model folder (`onnx/model*.onnx`, with optional external
 * `.onnx_data` weights) and the choice among them (`dtype`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ModelFolderError } from './errors';

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
export const AUTO_ORDER: readonly ModelDtype[] = ['int8', 'fp32', 'q4', 'fp16'];

/** The file names under `onnx/` that hold a dtype's weights, in order of preference. */
export function variantFileNames(dtype: ModelDtype): readonly string[] {
  return VARIANTS[dtype];
}

/** The dtype a weight file under `onnx/` is, if it is one Lathe knows. */
export function dtypeOfOnnxFile(name: string): ModelDtype | undefined {
  return dtypeOfFile(name);
}

/** Whether `name` (a file under `onnx/`) is external weight data of the graph `graph`. */
export function isExternalDataOf(name: string, graph: string): boolean {
  return [`${graph}_data`, `${graph}.data`].some((base) => name === base || new RegExp(`^${base.replace(/\./g, '\\.')}_\\d+$`).test(name));
}

function dtypeOfFile(name: string): ModelDtype | undefined {
  return (Object.keys(VARIANTS) as ModelDtype[]).find((d) => VARIANTS[d].includes(name));
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

/** The weights for `choice`; `auto` prefers `recommended` (lathe.json `default_onnx`) when present. */
export function chooseOnnxFile(modelDir: string, choice: DtypeChoice, recommended?: string): OnnxChoice {
  const onnxDir = join(modelDir, 'onnx');
  if (!existsSync(onnxDir)) throw new ModelFolderError('missing-file', 'the model folder has no onnx/ directory', onnxDir);
  const found = (dtype: ModelDtype, name: string): OnnxChoice => {
    const path = join(onnxDir, name);
    const external = externalDataSize(onnxDir, name);
    return { dtype, path, weightBytes: fileSize(path) + external, externalData: external > 0 };
  };
  if (choice === 'auto') {
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
  throw new ModelFolderError('missing-file', `no ONNX weights for dtype '${choice}' (looked for ${wanted})`, onnxDir);
}

/** The weight variants present in the folder, in `AUTO_ORDER`; empty without an onnx/ directory. */
export function listOnnxVariants(modelDir: string): OnnxChoice[] {
  const onnxDir = join(modelDir, 'onnx');
  let names: Set<string>;
  try {
    names = new Set(readdirSync(onnxDir));
  } catch {
    return [];
  }
  const out: OnnxChoice[] = [];
  for (const dtype of AUTO_ORDER) {
    const name = VARIANTS[dtype].find((n) => names.has(n));
    if (!name) continue;
    const external = externalDataSize(onnxDir, name);
    out.push({ dtype, path: join(onnxDir, name), weightBytes: fileSize(join(onnxDir, name)) + external, externalData: external > 0 });
  }
  return out;
}
