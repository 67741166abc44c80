/**
 * Where a model folder keeps its chat template: `chat_template.jinja`, the `chat_template`
 * key of tokenizer_config.json (a string, or a list of named templates), or
 * `chat_template.json`. A folder without one is a completion-only model.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRecord } from '../../base/records';
import { readJsonFile, type JsonObject } from './jsonFile';

export interface ChatTemplateSource {
  /** The Jinja source. */
  readonly source: string;
  /** The file it came from, for error messages. */
  readonly file: string;
}

export function readChatTemplate(modelDir: string, tokenizerConfig: JsonObject): ChatTemplateSource | undefined {
  const file = join(modelDir, 'chat_template.jinja');
  if (existsSync(file)) return { source: readFileSync(file, 'utf8'), file };
  const configFile = join(modelDir, 'tokenizer_config.json');
  const t = tokenizerConfig.chat_template;
  if (typeof t === 'string') return { source: t, file: configFile };
  if (Array.isArray(t)) {
    const named = t.filter((x): x is { name: string; template: string } => isRecord(x) && typeof x.name === 'string' && typeof x.template === 'string');
    const chosen = (named.find((x) => x.name === 'default') ?? named[0])?.template;
    if (chosen !== undefined) return { source: chosen, file: configFile };
  }
  const json = join(modelDir, 'chat_template.json');
  if (existsSync(json)) {
    const doc = readJsonFile(json, true);
    if (typeof doc.chat_template === 'string') return { source: doc.chat_template, file: json };
  }
  return undefined;
}
