/**
 * The model's own tokenizer, built from tokenizer.json + tokenizer_config.json with
 * @huggingface/tokenizers (added and special tokens honoured). Cheap enough to build in any
 * process: completions, the Prompt Lab and curation count tokens with it without the engine.
 * Read a folder through `readModelFolder(dir).tokenizer()`, which reads each file once.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { join } from 'node:path';
import { errorMessage } from '../../base/errorText';
import { ModelFolderError } from './errors';
import { readJsonFile, tokenContent, type JsonObject } from './jsonFile';

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
  /** Size of the vocabulary including added tokens. */
  readonly size: number;
}

/** Builds the tokenizer from the parsed tokenizer.json (`tokenizerPath` names it in errors). */
export function createTokenizer(json: JsonObject, config: JsonObject, tokenizerPath: string): ModelTokenizer {
  let tok: Tokenizer;
  try {
    tok = new Tokenizer(json, config);
    // Building the tokenizer is lazy in places: a smoke encode surfaces broken models/regexes now.
    tok.encode('a');
  } catch (err) {
    throw new ModelFolderError('invalid-file', `cannot build a tokenizer: ${errorMessage(err)}`, tokenizerPath, { cause: err });
  }
  const specialIds = new Set<number>();
  for (const [id, added] of tok.get_added_tokens_decoder()) if (added.special) specialIds.add(id);
  let size = 0;
  for (const id of tok.get_vocab(true).values()) size = Math.max(size, id + 1);

  return {
    encode: (text, options) => tok.encode(text, { add_special_tokens: options?.addSpecialTokens ?? false }).ids,
    decode: (ids, options) =>
      tok.decode(ids as number[], { skip_special_tokens: options?.skipSpecialTokens ?? false, clean_up_tokenization_spaces: false }),
    countTokens: (text) => tok.encode(text, { add_special_tokens: false }).ids.length,
    tokenToId: (token) => tok.token_to_id(token),
    idToToken: (id) => tok.id_to_token(id),
    specialIds,
    bosToken: tokenContent(config.bos_token),
    eosToken: tokenContent(config.eos_token),
    size,
  };
}

/** The tokenizer of a folder that may hold only tokenizer files (a training recipe's tokenizer/). */
export function readTokenizerFolder(dir: string): ModelTokenizer {
  const path = join(dir, 'tokenizer.json');
  return createTokenizer(readJsonFile(path, true), readJsonFile(join(dir, 'tokenizer_config.json'), false) ?? {}, path);
}
