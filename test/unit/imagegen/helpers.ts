/** Shared setup for image pipeline tests: fixture paths, a silent logger, temp copies of models. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLogger, type LogLevel } from '../../../extension/core/common/logger';
import { parseSchedulerConfig, type SchedulerConfig } from '../../../extension/core/imagegen/schedulerConfig';

export const FIXTURES = resolve(__dirname, '../../fixtures/models');
export const TINY_SD = join(FIXTURES, 'tiny-sd');
export const TINY_SD_FP16 = join(FIXTURES, 'tiny-sd-fp16');
export const TINY_TEXT_MODEL = join(FIXTURES, 'tiny-llama');
export const EXPECTED = JSON.parse(readFileSync(join(FIXTURES, 'tiny-sd-expected.json'), 'utf8')) as {
  bos: number;
  eos: number;
  pad_fp16: number;
  tokens: Record<string, number[]>;
};
export const WORKER_TS = resolve(__dirname, '../../../extension/core/imagegen/worker/main.ts');

export function testLogger(lines: string[] = []) {
  return createLogger({ log: (level: LogLevel, message: string) => lines.push(`${level} ${message}`) }, 'test');
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-imagegen-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function copyModel(src: string): { dir: string; cleanup: () => void } {
  const t = tempDir();
  const dir = join(t.dir, 'model');
  cpSync(src, dir, { recursive: true });
  return { dir, cleanup: t.cleanup };
}

export function editJson(file: string, change: (doc: Record<string, unknown>) => void): void {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(doc);
  writeFileSync(file, JSON.stringify(doc));
}

/** A scheduler config with explicit fields (diffusers key names). */
export function schedulerConfig(fields: Record<string, unknown>): SchedulerConfig {
  return parseSchedulerConfig(fields, 'scheduler_config.json');
}
