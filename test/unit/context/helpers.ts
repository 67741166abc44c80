/** Shared setup for the context engine tests: engines on the source-tree assets, fixture docs. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLogger, type LogLevel } from '../../../extension/core/common/logger';
import { sourceAssets, type ContextAssets } from '../../../extension/core/context/assets';
import { ContextEngine, type ContextEngineOptions } from '../../../extension/core/context/engine';
import { languageIdForPath } from '../../../extension/core/context/languages';
import type { DocumentSnapshot } from '../../../extension/core/context/types';

export const REPO_ROOT = resolve(__dirname, '../../..');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'context');
export const ASSETS: ContextAssets = sourceAssets(REPO_ROOT);

export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
}

export function testEngine(options: Partial<ContextEngineOptions> = {}): { engine: ContextEngine; logs: LogLine[] } {
  const logs: LogLine[] = [];
  const log = createLogger({ log: (level, message) => logs.push({ level, message }) }, 'test');
  const engine = new ContextEngine({ assets: ASSETS, log, ...options });
  return { engine, logs };
}

/** A fixture file as a document snapshot (uri = absolute path). */
export function fixtureDoc(relPath: string, version = 1): DocumentSnapshot {
  const uri = join(FIXTURES, relPath);
  return { uri, languageId: languageIdForPath(uri), version, text: readFileSync(uri, 'utf8') };
}

/** The offset just after the first occurrence of `marker`; throws when absent. */
export function offsetAfter(text: string, marker: string): number {
  const i = text.indexOf(marker);
  if (i === -1) throw new Error(`marker not found: ${JSON.stringify(marker)}`);
  return i + marker.length;
}
