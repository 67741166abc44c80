/** Shared setup for engine tests: fixture paths, a silent logger, temp copies of models. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createLogger, type LogLevel } from '../../../extension/core/common/logger';
import { DecoderModel } from '../../../extension/core/engine/worker/decoderModel';
import { ModelRunner, DEFAULT_RUNNER_OPTIONS } from '../../../extension/core/engine/worker/runner';
import type { GenerationParams } from '../../../extension/core/engine/shared/protocol';
import type { GenerateResult } from '../../../extension/core/engine/shared/generator';
import type { DtypeChoice } from '../../../extension/core/models/onnxFiles';

export const FIXTURES = resolve(__dirname, '../../fixtures/models');
export const TINY = join(FIXTURES, 'tiny-llama');
export const TINY_KEEP = join(FIXTURES, 'tiny-llama-keep');
/** Qwen2 layout (qkv bias, tied embeddings): fp32 with external data, 4-bit MatMulNBits, float16. */
export const TINY_QWEN = join(FIXTURES, 'tiny-qwen');
/** The same weights in the fused contrib-op layout (GroupQueryAttention, MatMulNBits), 4-bit. */
export const TINY_QWEN_FUSED = join(FIXTURES, 'tiny-qwen-fused');
export const WORKER_TS = resolve(__dirname, '../../../extension/core/engine/worker/main.ts');

/** A Python-ish prompt with repetition, so prompt lookup finds drafts. */
export const CODE_PROMPT =
  'def add(a, b):\n    return a + b\n\ndef sub(a, b):\n    return a - b\n\ndef mul(a, b):\n    return a * b\n\ndef div(a, b):\n';

export function testLogger(lines: string[] = []) {
  return createLogger({ log: (level: LogLevel, message: string) => lines.push(`${level} ${message}`) }, 'test');
}

/** A logger whose lines a test can wait for: `line(re)` resolves with the first line matching `re`. */
export function watchedLogger() {
  const lines: string[] = [];
  const waiters = new Set<{ re: RegExp; done(line: string): void }>();
  const logger = createLogger(
    {
      log: (level: LogLevel, message: string) => {
        const line = `${level} ${message}`;
        lines.push(line);
        for (const w of [...waiters]) {
          if (!w.re.test(line)) continue;
          waiters.delete(w);
          w.done(line);
        }
      },
    },
    'test',
  );
  const line = (re: RegExp): Promise<string> => {
    const seen = lines.find((l) => re.test(l));
    return seen !== undefined ? Promise.resolve(seen) : new Promise((done) => waiters.add({ re, done }));
  };
  return { logger, lines, line };
}

export async function loadRunner(dir: string, dtype: DtypeChoice = 'auto'): Promise<ModelRunner> {
  const model = await DecoderModel.load({ modelDir: dir, dtype, threads: 1 }, testLogger());
  return new ModelRunner(model, DEFAULT_RUNNER_OPTIONS);
}

export function run(runner: ModelRunner, params: GenerationParams, aborted: () => boolean = () => false): Promise<GenerateResult> {
  return runner.generate(params, { isAborted: aborted });
}

export function ids(result: GenerateResult): number[] {
  return result.tokens.map((t) => t.tokenId);
}

/** A scratch copy of a fixture model; returns its path and a cleanup. */
export function copyModel(from: string): { dir: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'lathe-engine-'));
  const dir = join(root, 'model');
  cpSync(from, dir, { recursive: true });
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
