/**
 * Extra models for side-by-side columns: one engine per model folder, created on first use
 * with the user's dtype/thread settings, unloaded when idle, disposed with Prompt Lab.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { IDisposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import { createEngine, type Engine } from '../../core/engine/client/engine';
import type { TextGenerator } from '../../core/engine/shared/generator';
import { readSettings } from '../config';

/** Column models are unloaded after this long without a run. */
const IDLE_UNLOAD_MS = 5 * 60_000;

export class ModelPool implements IDisposable {
  private readonly engines = new Map<string, Engine>();

  constructor(private readonly log: Logger) {}

  get(folder: string): TextGenerator {
    const dir = resolve(folder);
    const existing = this.engines.get(dir);
    if (existing) return existing;
    if (!existsSync(join(dir, 'config.json'))) throw new Error(`'${folder}' is not a model folder (no config.json)`);
    const settings = readSettings();
    const engine = createEngine({
      modelDir: dir,
      dtype: settings.modelDtype,
      threads: settings.engineThreads,
      spinning: settings.engineSpinning,
      idleUnloadMs: IDLE_UNLOAD_MS,
      logger: this.log.child('column-model'),
    });
    this.log.info(`side-by-side model ${dir}`);
    this.engines.set(dir, engine);
    return engine;
  }

  dispose(): void {
    for (const engine of this.engines.values()) engine.dispose();
    this.engines.clear();
  }
}
