/**
 * The states a model (local engine or remote server) goes through, listed once: the engine,
 * the host's runtime and status bar, the protocol's checks and the webview all use this list.
 */
export const MODEL_STATES = ['unloaded', 'loading', 'ready', 'error'] as const;

export type ModelState = (typeof MODEL_STATES)[number];

/**
 * One union member per model state, `{ kind }` plus what that state carries, e.g.
 * `ModelStateOf<{ ready: { info: ModelInfo }; error: { message: string } }>`.
 */
export type ModelStateOf<Details extends Partial<Record<ModelState, object>> = object> = {
  [K in ModelState]: { readonly kind: K } & (K extends keyof Details ? Details[K] : unknown);
}[ModelState];
