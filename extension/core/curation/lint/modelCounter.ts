/** Token counting with a model folder's own tokenizer (tokenizer.json), and where to find one. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { configContextLength } from '../../models/config';
import { readJsonFile } from '../../models/jsonFile';
import { readModelFolder } from '../../models/folder';
import type { TokenCounter } from '../../models/tokenCounter';

export function modelTokenCounter(modelDir: string): TokenCounter {
  return readModelFolder(modelDir).tokenCounter();
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
