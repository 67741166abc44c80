/**
 * The model's own tokenizer, loaded from tokenizer.json + tokenizer_config.json with
 * @huggingface/tokenizers (added and special tokens honoured). Cheap enough to load in any
 * process: completions and Prompt Lab use it for token counting without the engine.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../base/errorText';
import { EngineError } from './shared/errors';
import { readJsonFile } from './modelFiles';

export interface FimTokens {
  readonly prefix: string;
  readonly suffix: string;
  readonly middle: string;
  readonly fileSeparator?: string;
}

export interface ModelTokenizer {
  /** Token ids of `text`; `addSpecialTokens` applies the tokenizer's post-processor (e.g. BOS). */
  encode(text: string, options?: { addSpecialTokens?: boolean }): number[];
  decode(ids: readonly number[], options?: { skipSpecialTokens?: boolean }): string;
  countTokens(text: string): number;
  tokenToId(token: string): number | undefined;
  /** The vocabulary entry of `id` (raw, e.g. byte-level `Ġ` forms), for display. */
  idToToken(id: number): string | undefined;
  /** Ids of tokens marked special (never shown in decoded output). */
  readonly specialIds: ReadonlySet<number>;
  readonly bosToken?: string;
  readonly eosToken?: string;
  /** Raw chat template source, if the folder has one. */
  readonly chatTemplate?: string;
  /** The file the chat template came from. */
  readonly chatTemplateFile?: string;
  readonly fim?: FimTokens;
  /** Size of the vocabulary including added tokens. */
  readonly size: number;
}

/** `bos_token` and friends are either a string or an AddedToken-shaped object. */
function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  return undefined;
}

function readChatTemplate(modelDir: string, config: Record<string, unknown>): { source: string; file: string } | undefined {
  const file = join(modelDir, 'chat_template.jinja');
  if (existsSync(file)) return { source: readFileSync(file, 'utf8'), file };
  const configFile = join(modelDir, 'tokenizer_config.json');
  const t = config.chat_template;
  if (typeof t === 'string') return { source: t, file: configFile };
  if (Array.isArray(t)) {
    const named = t.filter(
      (x): x is { name: string; template: string } =>
        typeof x === 'object' && x !== null && typeof x.name === 'string' && typeof x.template === 'string',
    );
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

/** FIM tokens: declared in tokenizer_config.json, or the well-known names when the vocabulary has them. */
function detectFim(config: Record<string, unknown>, has: (token: string) => boolean): FimTokens | undefined {
  const declared = {
    prefix: tokenContent(config.fim_prefix_token),
    suffix: tokenContent(config.fim_suffix_token),
    middle: tokenContent(config.fim_middle_token),
    fileSeparator: tokenContent(config.file_separator_token),
  };
  const known = [
    { prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>', fileSeparator: '<|file_sep|>' },
    { prefix: '<fim_prefix>', suffix: '<fim_suffix>', middle: '<fim_middle>', fileSeparator: '<file_sep>' },
  ];
  const candidates = [declared, ...known];
  for (const c of candidates) {
    if (c.prefix && c.suffix && c.middle && has(c.prefix) && has(c.suffix) && has(c.middle)) {
      const fim: FimTokens = { prefix: c.prefix, suffix: c.suffix, middle: c.middle };
      return c.fileSeparator && has(c.fileSeparator) ? { ...fim, fileSeparator: c.fileSeparator } : fim;
    }
  }
  return undefined;
}

export function loadTokenizer(modelDir: string): ModelTokenizer {
  const tokenizerPath = join(modelDir, 'tokenizer.json');
  const configPath = join(modelDir, 'tokenizer_config.json');
  const json = readJsonFile(tokenizerPath, true);
  const config = readJsonFile(configPath, false) ?? {};
  let tok: Tokenizer;
  try {
    tok = new Tokenizer(json, config);
    // Building the tokenizer is lazy in places: a smoke encode surfaces broken models/regexes now.
    tok.encode('a');
  } catch (err) {
    throw new EngineError('invalid-file', `cannot build a tokenizer: ${errorMessage(err)}`, tokenizerPath, { cause: err });
  }
  const specialIds = new Set<number>();
  for (const [id, added] of tok.get_added_tokens_decoder()) if (added.special) specialIds.add(id);
  const vocab = tok.get_vocab(true);
  const has = (token: string) => vocab.has(token);
  const bosToken = tokenContent(config.bos_token);
  const eosToken = tokenContent(config.eos_token);
  const chatTemplate = readChatTemplate(modelDir, config);
  const fim = detectFim(config, has);
  let size = 0;
  for (const id of vocab.values()) size = Math.max(size, id + 1);

  return {
    encode: (text, options) => tok.encode(text, { add_special_tokens: options?.addSpecialTokens ?? false }).ids,
    decode: (ids, options) =>
      tok.decode(ids as number[], { skip_special_tokens: options?.skipSpecialTokens ?? false, clean_up_tokenization_spaces: false }),
    countTokens: (text) => tok.encode(text, { add_special_tokens: false }).ids.length,
    tokenToId: (token) => tok.token_to_id(token),
    idToToken: (id) => tok.id_to_token(id),
    specialIds,
    bosToken,
    eosToken,
    chatTemplate: chatTemplate?.source,
    chatTemplateFile: chatTemplate?.file,
    fim,
    size,
  };
}
