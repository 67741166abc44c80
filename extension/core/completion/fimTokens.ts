/**
 * Reads which special tokens a model folder declares, for choosing its FIM template:
 * every added token of tokenizer.json, and explicit FIM keys of tokenizer_config.json
 * (`fim_prefix_token`, `fim_suffix_token`, `fim_middle_token`, `file_separator_token`).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FimOrder, FimTokenSource } from './fimTemplates';
import { errorMessage } from '../../base/errorText';
import { isRecord } from '../../base/records';

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${path}: ${errorMessage(err)}`);
  }
}

export async function readFimTokenSource(modelDir: string, orderOverride?: FimOrder): Promise<FimTokenSource> {
  const tokens = new Set<string>();
  const tok = await readJson(join(modelDir, 'tokenizer.json'));
  if (isRecord(tok) && Array.isArray(tok.added_tokens)) {
    for (const t of tok.added_tokens) if (isRecord(t) && typeof t.content === 'string') tokens.add(t.content);
  }
  const cfg = await readJson(join(modelDir, 'tokenizer_config.json'));
  if (isRecord(cfg) && isRecord(cfg.added_tokens_decoder)) {
    for (const t of Object.values(cfg.added_tokens_decoder)) if (isRecord(t) && typeof t.content === 'string') tokens.add(t.content);
  }
  // lathe.json (Lathe's own model folders) declares the same keys, plus the preferred order.
  const lathe = await readJson(join(modelDir, 'lathe.json'));
  const key = (k: string) =>
    isRecord(cfg) && typeof cfg[k] === 'string' ? (cfg[k] as string) : isRecord(lathe) && typeof lathe[k] === 'string' ? (lathe[k] as string) : undefined;
  const format = key('fim_format');
  const prefix = key('fim_prefix_token');
  const suffix = key('fim_suffix_token');
  const middle = key('fim_middle_token');
  const declared = prefix && suffix && middle ? { prefix, suffix, middle, fileSeparator: key('file_separator_token') } : undefined;
  return { tokens, declared, order: orderOverride ?? (format === 'spm' || format === 'psm' ? format : undefined) };
}
