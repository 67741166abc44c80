/** Token counting with a model folder's own tokenizer (tokenizer.json), and where to find one. */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { configContextLength } from '../../engine/modelConfig';
import { readJsonFile } from '../../engine/modelFiles';
import { loadTokenizer } from '../../engine/tokenizer';
import type { TokenCounter } from './tokens';

export function modelTokenCounter(modelDir: string): TokenCounter {
  const tokenizer = loadTokenizer(modelDir);
  return { name: basename(modelDir), count: (text) => tokenizer.countTokens(text) };
}

/** The default tokenizer folders, in order: the embedded model, then the test fixture model. */
export const DEFAULT_TOKENIZER_DIRS = ['models/lathe-code-mini', 'test/fixtures/models/tiny-llama'];

/** The first default folder with a tokenizer.json under one of `roots`, or undefined. */
export function findDefaultTokenizer(roots: readonly string[]): string | undefined {
  for (const root of roots) {
    for (const dir of DEFAULT_TOKENIZER_DIRS) {
      const full = join(root, dir);
      if (existsSync(join(full, 'tokenizer.json'))) return full;
    }
  }
  return undefined;
}

/** The model's context length from its config.json, if it has a readable one. */
export function modelContextLength(modelDir: string): number | undefined {
  try {
    const config = readJsonFile(join(modelDir, 'config.json'), false);
    return config ? configContextLength(config) : undefined;
  } catch {
    return undefined;
  }
}
