/**
 * CLIP-style prompt tokenization through @huggingface/tokenizers: `tokenizer/tokenizer.json`
 * when the folder has one, else the tokenizer is built from `vocab.json` + `merges.txt` (what
 * real SD exports ship). A prompt becomes exactly `maxLength` ids: BOS, at most maxLength − 2
 * prompt tokens, EOS, then padding. Longer prompts are truncated and the result says so.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../base/errorText';
import { ImageGenError } from './errors';
import { readJsonObject, type JsonObject } from './jsonFile';

export interface EncodedPrompt {
  /** BOS + tokens + EOS + padding, exactly `maxLength` ids. */
  readonly ids: number[];
  /** Prompt tokens kept (without BOS/EOS). */
  readonly tokens: number;
  /** True when the prompt had more tokens than fit; `droppedText` is what was cut. */
  readonly truncated: boolean;
  readonly droppedText?: string;
}

export interface ClipTokenizer {
  readonly maxLength: number;
  readonly vocabSize: number;
  readonly source: 'tokenizer.json' | 'vocab.json + merges.txt';
  encode(text: string): EncodedPrompt;
}

function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { content?: unknown }).content === 'string') return (value as { content: string }).content;
  return undefined;
}

/** The tokenizer.json of a CLIP tokenizer with this vocabulary and these merges. */
export function clipTokenizerJson(vocab: Record<string, number>, merges: string[], bos: string, eos: string): JsonObject {
  const added = [bos, eos]
    .filter((t, i, all) => all.indexOf(t) === i && vocab[t] !== undefined)
    .map((t) => ({ id: vocab[t], content: t, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }] },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        {
          type: 'Split',
          pattern: { Regex: "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+" },
          behavior: 'Removed',
          invert: true,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: null,
    decoder: { type: 'BPEDecoder', suffix: '</w>' },
    model: { type: 'BPE', dropout: null, unk_token: eos, continuing_subword_prefix: '', end_of_word_suffix: '</w>', fuse_unk: false, vocab, merges },
  };
}

function readMerges(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '' && !l.startsWith('#version'));
}

function readVocab(path: string): Record<string, number> {
  const doc = readJsonObject(path);
  for (const [k, v] of Object.entries(doc)) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ImageGenError('invalid-file', `token ${JSON.stringify(k)} has id ${JSON.stringify(v)}; ids must be integers ≥ 0`, path);
  }
  return doc as Record<string, number>;
}

/** `maxPositions` is the text encoder's context (max_position_embeddings); the shorter of it and model_max_length wins. */
export function loadClipTokenizer(tokenizerDir: string, maxPositions: number): ClipTokenizer {
  const configPath = join(tokenizerDir, 'tokenizer_config.json');
  const mapPath = join(tokenizerDir, 'special_tokens_map.json');
  const config = existsSync(configPath) ? readJsonObject(configPath) : {};
  const specials = existsSync(mapPath) ? readJsonObject(mapPath) : {};
  const special = (key: string, fallback: string) => tokenContent(config[key]) ?? tokenContent(specials[key]) ?? fallback;
  const bos = special('bos_token', '<|startoftext|>');
  const eos = special('eos_token', '<|endoftext|>');
  const pad = special('pad_token', eos);
  const declared = typeof config.model_max_length === 'number' && config.model_max_length > 0 ? config.model_max_length : maxPositions;
  const maxLength = Math.min(declared, maxPositions);

  const jsonPath = join(tokenizerDir, 'tokenizer.json');
  let json: JsonObject;
  let source: ClipTokenizer['source'];
  let file: string;
  if (existsSync(jsonPath)) {
    json = readJsonObject(jsonPath);
    source = 'tokenizer.json';
    file = jsonPath;
  } else {
    const vocabPath = join(tokenizerDir, 'vocab.json');
    const mergesPath = join(tokenizerDir, 'merges.txt');
    if (!existsSync(vocabPath) || !existsSync(mergesPath)) {
      throw new ImageGenError('missing-file', 'the tokenizer needs tokenizer.json, or vocab.json and merges.txt', tokenizerDir);
    }
    json = clipTokenizerJson(readVocab(vocabPath), readMerges(mergesPath), bos, eos);
    source = 'vocab.json + merges.txt';
    file = vocabPath;
  }
  let tok: Tokenizer;
  try {
    tok = new Tokenizer(json, config);
    tok.encode('a');
  } catch (err) {
    throw new ImageGenError('invalid-file', `cannot build a tokenizer: ${errorMessage(err)}`, file, { cause: err });
  }
  const idOf = (token: string, role: string) => {
    const id = tok.token_to_id(token);
    if (id === undefined) throw new ImageGenError('invalid-file', `the ${role} token ${JSON.stringify(token)} is not in the vocabulary`, file);
    return id;
  };
  const bosId = idOf(bos, 'bos');
  const eosId = idOf(eos, 'eos');
  const padId = idOf(pad, 'pad');
  if (maxLength < 3) throw new ImageGenError('invalid-file', `model_max_length ${maxLength} leaves no room for a prompt`, configPath);
  let vocabSize = 0;
  for (const id of tok.get_vocab(true).values()) vocabSize = Math.max(vocabSize, id + 1);

  return {
    maxLength,
    vocabSize,
    source,
    encode(text) {
      const all = tok.encode(text, { add_special_tokens: false }).ids;
      const room = maxLength - 2;
      const kept = all.slice(0, room);
      const dropped = all.slice(room);
      const ids = [bosId, ...kept, eosId];
      while (ids.length < maxLength) ids.push(padId);
      return dropped.length > 0
        ? { ids, tokens: kept.length, truncated: true, droppedText: tok.decode(dropped, { skip_special_tokens: true }).trim() }
        : { ids, tokens: kept.length, truncated: false };
    },
  };
}
