/** What the Prompt Lab webview keeps across reloads (VS Code's getState/setState). */
import type { DraftDto } from '../../extension/protocol/promptlab';

export interface PersistedState {
  /** The open prompt file, reopened on restore. */
  readonly path?: string;
  readonly draft?: DraftDto;
  readonly tab?: string;
}
