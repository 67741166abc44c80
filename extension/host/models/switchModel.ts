/**
 * Moves one or more roles to a new model choice, the one way every Lathe flow does it (Select
 * Model, and the buttons a finished download offers): a local folder the settings chose before
 * is remembered first, so it stays listed in Select Model after the switch, then the settings
 * for all the roles are written as one batch (the engine reloads once).
 */
import { errorMessage } from '../../base/errorText';
import type { ModelChoice } from '../../core/backends/catalog';
import type { Logger } from '../../core/common/logger';
import type { ModelRole } from '../../core/models/roles';
import { readSettings } from '../config';
import type { ModelRuntime } from '../modelRuntime';
import { applyChoice, currentChoice, sameChoice } from './roleSettings';

export interface SwitchDeps {
  readonly runtime: ModelRuntime;
  /** Remembers a local folder as a Select Model entry. */
  readonly remember: (dir: string) => Promise<void>;
  readonly log: Logger;
}

/** Applies `choice` (undefined for chat: follow the completion model) to every role in `roles`. */
export async function switchModel(deps: SwitchDeps, roles: readonly ModelRole[], choice: ModelChoice | undefined): Promise<void> {
  const s = readSettings();
  for (const role of roles) {
    const previous = currentChoice(role, s);
    if (previous?.kind !== 'folder' || sameChoice(previous, choice)) continue;
    await deps.remember(previous.dir).catch((err: unknown) => deps.log.warn(`could not remember ${previous.dir}: ${errorMessage(err)}`));
  }
  await deps.runtime.batch(async () => {
    for (const role of roles) await applyChoice(role, choice);
  });
}
