/**
 * Where accepted completions may be captured (`lathe.completions.captureFile`): a path from the
 * user's own settings is the user's choice; a path from a workspace's settings must lead inside
 * the workspace folders (symlinks resolved), or the user must have allowed that file.
 */
import { isAbsolute, join } from 'node:path';
import type { SettingSource } from '../common/settingSource';
import { OutsideScopeError, resolveInScope } from '../common/fs/scope';

export type CaptureDecision =
  | { readonly kind: 'off' }
  | { readonly kind: 'write'; readonly file: string }
  | { readonly kind: 'ask'; readonly file: string }
  | { readonly kind: 'skip'; readonly reason: string };

export interface CaptureInput {
  /** The setting's value (trimmed); empty means off. */
  readonly setting: string;
  readonly source: SettingSource;
  /** Workspace folders on disk, the first one first. */
  readonly folders: readonly string[];
  /** Files (resolved paths) the user allowed. */
  readonly approved: ReadonlySet<string>;
}

export function decideCaptureFile(input: CaptureInput): CaptureDecision {
  if (input.setting === '') return { kind: 'off' };
  const folder = input.folders.at(0);
  let file = input.setting;
  if (!isAbsolute(file)) {
    if (folder === undefined) return { kind: 'skip', reason: `lathe.completions.captureFile '${input.setting}' is relative but no folder is open` };
    file = join(folder, file);
  }
  if (input.source !== 'workspace') return { kind: 'write', file };
  try {
    return { kind: 'write', file: resolveInScope(file, folder ?? '/', input.folders) };
  } catch (err) {
    if (!(err instanceof OutsideScopeError)) throw err;
    return input.approved.has(file) ? { kind: 'write', file } : { kind: 'ask', file };
  }
}
