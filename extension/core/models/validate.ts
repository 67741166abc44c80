/**
 * Whether a folder qualifies as a Lathe text model under the engine contract, checked through
 * the one folder reader: config.json with the KV-cache geometry, tokenizer.json, and ONNX
 * weights (with their external data) for the wanted dtype. Fails with one sentence that says
 * what is missing, which the picker and the CLI show as is. The ONNX graph itself is checked
 * by the engine when it loads the model.
 */
import { statSync } from 'node:fs';
import { errorMessage } from '../../base/errorText';
import { readModelFolder, type ModelFolder } from './folder';
import type { DtypeChoice, OnnxChoice } from './onnxFiles';
import { folderRoles, unusableRoles, type RoleFits } from './roles';

export type FolderCheck =
  | { readonly ok: true; readonly folder: ModelFolder; readonly weights: OnnxChoice; readonly roles: RoleFits }
  | { readonly ok: false; readonly reason: string; readonly roles: RoleFits };

export function validateModelFolder(dir: string, dtype: DtypeChoice = 'auto'): FolderCheck {
  const fail = (reason: string): FolderCheck => ({ ok: false, reason, roles: unusableRoles('not a usable model folder') });
  try {
    if (!statSync(dir).isDirectory()) return fail(`${dir} is a file, not a model folder`);
  } catch {
    return fail(`${dir} does not exist`);
  }
  let folder: ModelFolder;
  try {
    folder = readModelFolder(dir);
  } catch (err) {
    return fail(errorMessage(err));
  }
  let weights: OnnxChoice;
  try {
    weights = folder.chooseWeights(dtype);
  } catch (err) {
    const have = folder.weights.map((w) => w.dtype).join(', ');
    return fail(`${errorMessage(err)}${have ? `; the folder has ${have}` : ''}`);
  }
  return { ok: true, folder, weights, roles: folderRoles(folder) };
}
