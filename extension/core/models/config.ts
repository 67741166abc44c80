/**
 * What the engine needs from config.json and generation_config.json: the KV-cache geometry
 * (layers, KV heads, head size), the vocabulary and context sizes, end-of-sequence ids and the
 * model's default sampling settings.
 */
import { join } from 'node:path';
import { isRecord } from '../../base/records';
import { ModelFolderError } from './errors';
import { readJsonFile, type JsonObject } from './jsonFile';

export interface GenerationDefaults {
  readonly doSample: boolean;
  readonly temperature?: number;
  readonly topK?: number;
  readonly topP?: number;
  readonly minP?: number;
  readonly repetitionPenalty?: number;
}

export interface ModelConfig {
  readonly modelType: string;
  readonly numLayers: number;
  readonly numKvHeads: number;
  readonly headDim: number;
  readonly vocabSize: number;
  readonly contextLength: number;
  readonly eosTokenIds: readonly number[];
  readonly bosTokenId?: number;
  readonly generation: GenerationDefaults;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function tokenIds(value: unknown): number[] {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return [value];
  if (Array.isArray(value)) return value.filter((v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0);
  return [];
}

/** The text model's part of config.json (multimodal wrappers nest it under `text_config`). */
function textConfig(config: JsonObject): JsonObject {
  return isRecord(config.text_config) ? config.text_config : config;
}

/** The context length a config.json declares, under any of the names exports use. */
export function configContextLength(config: JsonObject): number | undefined {
  const text = textConfig(config);
  return positiveInt(text.max_position_embeddings ?? text.n_positions ?? text.max_sequence_length ?? text.seq_length);
}

export function readModelConfig(modelDir: string): ModelConfig {
  const configPath = join(modelDir, 'config.json');
  return parseModelConfig(readJsonFile(configPath, true), readJsonFile(join(modelDir, 'generation_config.json'), false) ?? {}, configPath);
}

/** config.json and generation_config.json, already read; errors name `configPath`. */
export function parseModelConfig(config: JsonObject, generation: JsonObject, configPath: string): ModelConfig {
  const text = textConfig(config);

  const need = (key: string, value: number | undefined): number => {
    if (value === undefined) throw new ModelFolderError('invalid-file', `'${key}' must be a positive integer`, configPath);
    return value;
  };
  const numLayers = need('num_hidden_layers', positiveInt(text.num_hidden_layers ?? text.n_layer ?? text.num_layers));
  const numHeads = need('num_attention_heads', positiveInt(text.num_attention_heads ?? text.n_head));
  const numKvHeads = positiveInt(text.num_key_value_heads) ?? numHeads;
  const hidden = positiveInt(text.hidden_size ?? text.n_embd);
  const headDim = positiveInt(text.head_dim) ?? (hidden !== undefined && hidden % numHeads === 0 ? hidden / numHeads : undefined);
  const vocabSize = need('vocab_size', positiveInt(text.vocab_size));
  const contextLength = need('max_position_embeddings', configContextLength(config));
  const eos = tokenIds(generation.eos_token_id);
  const eosTokenIds = eos.length > 0 ? eos : tokenIds(text.eos_token_id ?? config.eos_token_id);
  const bos = tokenIds(generation.bos_token_id ?? text.bos_token_id);

  return {
    modelType: typeof config.model_type === 'string' ? config.model_type : 'unknown',
    numLayers,
    numKvHeads,
    headDim: need('head_dim (or hidden_size divisible by num_attention_heads)', headDim),
    vocabSize,
    contextLength,
    eosTokenIds,
    bosTokenId: bos[0],
    generation: {
      doSample: generation.do_sample === true,
      temperature: optionalNumber(generation.temperature),
      topK: optionalNumber(generation.top_k),
      topP: optionalNumber(generation.top_p),
      minP: optionalNumber(generation.min_p),
      repetitionPenalty: optionalNumber(generation.repetition_penalty),
    },
  };
}
