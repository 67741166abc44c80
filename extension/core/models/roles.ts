/**
 * The two jobs a model can do in Lathe and what each needs: inline completions and the
 * fill-in-the-middle refactorings need FIM tokens; the Prompt Lab and the instruction commands
 * (Explain Selection, Refactor with Instruction) need a chat template. Every model the picker
 * lists says, per role, whether it qualifies and why.
 */
import { basename } from 'node:path';
import type { ModelFolder } from './folder';

export type ModelRole = 'completion' | 'chat';
export const MODEL_ROLES: readonly ModelRole[] = ['completion', 'chat'];

export const ROLE_TITLES: Readonly<Record<ModelRole, string>> = {
  completion: 'completion model',
  chat: 'chat model',
};

export interface RoleFit {
  readonly ok: boolean;
  /** One short clause, e.g. "FIM tokens of the qwen family" or "no chat template". */
  readonly why: string;
}

export type RoleFits = Readonly<Record<ModelRole, RoleFit>>;

/** What a local folder can do, from what the one folder reader found in it. */
export function folderRoles(folder: ModelFolder): RoleFits {
  const fim = folder.fim;
  const template = folder.chatTemplate;
  return {
    completion: fim
      ? { ok: true, why: `fill-in-the-middle tokens (${fim.family} family)` }
      : { ok: false, why: 'no fill-in-the-middle tokens in its tokenizer' },
    chat: template
      ? { ok: true, why: `chat template in ${basename(template.file)}` }
      : { ok: false, why: 'no chat template (tokenizer_config.json chat_template or chat_template.jinja)' },
  };
}

/** A folder that is not usable at all fills no role, for the same reason. */
export function unusableRoles(reason: string): RoleFits {
  return { completion: { ok: false, why: reason }, chat: { ok: false, why: reason } };
}

/** "completion ✓ · chat ✗": the roles at a glance. */
export function rolesSummary(roles: RoleFits): string {
  return MODEL_ROLES.map((r) => `${r} ${roles[r].ok ? '✓' : '✗'}`).join(' · ');
}

/** "completion: FIM tokens (qwen family); chat: no chat template". */
export function rolesExplained(roles: RoleFits): string {
  return MODEL_ROLES.map((r) => `${r}: ${roles[r].why}`).join('; ');
}
