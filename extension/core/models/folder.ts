/**
 * The one reader of a text-model folder (the engine contract in the Hugging Face / Optimum /
 * onnx-community layout, plus Lathe's optional `lathe.json`). Everything that needs to know
 * about a model — the engine worker, the completion templates, token counting in the host and
 * in curation, the Prompt Lab's capability note, the model picker — takes what this returns,
 * so every file is read once and every caller agrees on what the folder supports.
 */
import { basename, join } from 'node:path';
import { errorMessage } from '../../base/errorText';
import { isRecord } from '../../base/records';
import { CALIBRATION_FILE, parseCalibration, type CompletionCalibration } from './calibration';
import { readChatTemplate, type ChatTemplateSource } from './chatTemplate';
import { parseModelConfig, type ModelConfig } from './config';
import { detectFim, type FimSpec, type FimTokens } from './fim';
import { readJsonFile, tokenContent, type JsonObject } from './jsonFile';
import { parseManifest, type LatheManifest } from './manifest';
import { chooseOnnxFile, listOnnxVariants, type DtypeChoice, type OnnxChoice } from './onnxFiles';
import { tokenizerCounter, type TokenCounter } from './tokenCounter';
import { createTokenizer, type ModelTokenizer } from './tokenizer';

export interface ModelFolder {
  readonly dir: string;
  /** The folder's name, shown to users. */
  readonly name: string;
  readonly config: ModelConfig;
  /** Lathe's `lathe.json`, when the folder has one. */
  readonly manifest?: LatheManifest;
  /** Fill-in-the-middle support; undefined: inline completions cannot use this model. */
  readonly fim?: FimSpec;
  /** The confidence gate's calibration for this model (`lathe.calibration.json`), when it has one. */
  readonly calibration?: CompletionCalibration;
  /** Why `lathe.calibration.json` could not be used (the model still loads, uncalibrated). */
  readonly calibrationProblem?: string;
  /** The chat template; undefined: a completion-only model (no chat, no instructions). */
  readonly chatTemplate?: ChatTemplateSource;
  readonly bosToken?: string;
  readonly eosToken?: string;
  /** The ONNX weight variants present, in `auto` preference order. */
  readonly weights: readonly OnnxChoice[];
  /** The weights for a dtype choice (`auto`: lathe.json's recommendation, else int8, fp32, q4, fp16). */
  chooseWeights(dtype: DtypeChoice): OnnxChoice;
  /** The model's tokenizer, built on first use (tokenizer.json is read once either way). */
  tokenizer(): ModelTokenizer;
  /** Counts tokens with the model's tokenizer. */
  tokenCounter(): TokenCounter;
}

/** Added/special token strings from tokenizer.json and tokenizer_config.json. */
function addedTokens(tokenizerJson: JsonObject, tokenizerConfig: JsonObject): Set<string> {
  const tokens = new Set<string>();
  if (Array.isArray(tokenizerJson.added_tokens)) {
    for (const t of tokenizerJson.added_tokens) if (isRecord(t) && typeof t.content === 'string') tokens.add(t.content);
  }
  if (isRecord(tokenizerConfig.added_tokens_decoder)) {
    for (const t of Object.values(tokenizerConfig.added_tokens_decoder)) if (isRecord(t) && typeof t.content === 'string') tokens.add(t.content);
  }
  return tokens;
}

/** FIM tokens the folder declares by key: tokenizer_config.json first, then lathe.json. */
function declaredFim(tokenizerConfig: JsonObject, manifest: LatheManifest | undefined): FimTokens | undefined {
  const prefix = tokenContent(tokenizerConfig.fim_prefix_token) ?? manifest?.fimPrefixToken;
  const suffix = tokenContent(tokenizerConfig.fim_suffix_token) ?? manifest?.fimSuffixToken;
  const middle = tokenContent(tokenizerConfig.fim_middle_token) ?? manifest?.fimMiddleToken;
  if (!prefix || !suffix || !middle) return undefined;
  const fileSeparator = tokenContent(tokenizerConfig.file_separator_token) ?? manifest?.fileSeparatorToken;
  return fileSeparator ? { prefix, suffix, middle, fileSeparator } : { prefix, suffix, middle };
}

/**
 * Reads a model folder. Throws `ModelFolderError` naming the file for a missing or broken
 * config.json or tokenizer.json; optional files (generation_config.json, tokenizer_config.json,
 * lathe.json, a chat template) may be absent but not broken.
 */
export function readModelFolder(dir: string): ModelFolder {
  const configPath = join(dir, 'config.json');
  const config = parseModelConfig(readJsonFile(configPath, true), readJsonFile(join(dir, 'generation_config.json'), false) ?? {}, configPath);
  const tokenizerPath = join(dir, 'tokenizer.json');
  const tokenizerJson = readJsonFile(tokenizerPath, true);
  const tokenizerConfig = readJsonFile(join(dir, 'tokenizer_config.json'), false) ?? {};
  const lathePath = join(dir, 'lathe.json');
  const latheDoc = readJsonFile(lathePath, false);
  const manifest = latheDoc ? parseManifest(latheDoc, lathePath) : undefined;
  const fim = detectFim({
    tokens: addedTokens(tokenizerJson, tokenizerConfig),
    declared: declaredFim(tokenizerConfig, manifest),
    order: manifest?.fimFormat,
    layout: manifest?.contextLayout,
  });
  const calibration = readCalibration(dir);
  let tokenizer: ModelTokenizer | undefined;
  let counter: TokenCounter | undefined;
  const folder: ModelFolder = {
    dir,
    name: basename(dir),
    config,
    manifest,
    fim,
    ...calibration,
    chatTemplate: readChatTemplate(dir, tokenizerConfig),
    bosToken: tokenContent(tokenizerConfig.bos_token),
    eosToken: tokenContent(tokenizerConfig.eos_token),
    weights: listOnnxVariants(dir),
    chooseWeights: (dtype) => chooseOnnxFile(dir, dtype, manifest?.defaultOnnx),
    tokenizer: () => (tokenizer ??= createTokenizer(tokenizerJson, tokenizerConfig, tokenizerPath)),
    tokenCounter: () => (counter ??= tokenizerCounter(folder.tokenizer(), folder.name)),
  };
  return folder;
}

/** A broken calibration file does not stop the model: the gate falls back to its cautious defaults and the host says why. */
function readCalibration(dir: string): { calibration?: CompletionCalibration; calibrationProblem?: string } {
  const path = join(dir, CALIBRATION_FILE);
  try {
    const doc = readJsonFile(path, false);
    return doc ? { calibration: parseCalibration(doc, path) } : {};
  } catch (err) {
    return { calibrationProblem: errorMessage(err) };
  }
}
