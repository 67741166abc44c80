/**
 * Fill-in-the-middle support of a model folder: which family's tokens it has, the tokens
 * themselves, the strings that end a middle, and the prompt order it prefers. The family is
 * read from the special tokens the folder declares, never from the model's name: a fine-tune
 * called "my-model" with StarCoder2's tokens is StarCoder2.
 */
import type { ContextLayout } from './contextLayout';

export type FimFamily = 'lathe' | 'qwen' | 'starcoder' | 'deepseek' | 'codellama' | 'codestral' | 'codegemma';
export type FimOrder = 'psm' | 'spm';

export const FIM_FAMILIES: readonly FimFamily[] = ['lathe', 'qwen', 'starcoder', 'deepseek', 'codellama', 'codestral', 'codegemma'];

export interface FimTokens {
  readonly prefix: string;
  readonly suffix: string;
  readonly middle: string;
  /** Separates files of a repository-level prompt, when the family has one. */
  readonly fileSeparator?: string;
}

export interface FimSpec {
  readonly family: FimFamily;
  readonly tokens: FimTokens;
  /** Strings that end the middle: the family's end and separator tokens. */
  readonly stop: readonly string[];
  /** Prompt order: prefix-suffix-middle, or suffix first (`<pre><suf>S<mid>P`). */
  readonly order: FimOrder;
  /**
   * The folder declared its FIM tokens itself (Lathe's own models: lathe.json or
   * tokenizer_config.json keys); only then may a user setting switch the order, since other
   * families were trained on one order.
   */
  readonly declared: boolean;
  /** The repository-context layout the model was trained on (lathe.json `context_layout`). */
  readonly layout?: ContextLayout;
}

/** What a folder says about its special tokens, as read from its files. */
export interface FimEvidence {
  /** Every added/special token string of the tokenizer. */
  readonly tokens: ReadonlySet<string>;
  /** FIM tokens the folder declares explicitly (tokenizer_config.json keys or lathe.json). */
  readonly declared?: FimTokens;
  /** The order the folder prefers (lathe.json `fim_format`). */
  readonly order?: FimOrder;
  readonly layout?: ContextLayout;
}

function spec(family: FimFamily, prefix: string, suffix: string, middle: string, stop: string[], fileSeparator?: string, order: FimOrder = 'psm'): FimSpec {
  return { family, tokens: fileSeparator ? { prefix, suffix, middle, fileSeparator } : { prefix, suffix, middle }, stop, order, declared: false };
}

/** Each known family with its usual tokens: for remote servers, which do not expose theirs. */
export const FAMILY_FIM: Readonly<Record<Exclude<FimFamily, 'lathe'>, FimSpec>> = {
  codegemma: spec('codegemma', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', ['<|file_separator|>', '<eos>', '<end_of_turn>'], '<|file_separator|>'),
  qwen: spec('qwen', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', ['<|endoftext|>', '<|file_sep|>', '<|fim_pad|>', '<|im_end|>'], '<|file_sep|>'),
  starcoder: spec('starcoder', '<fim_prefix>', '<fim_suffix>', '<fim_middle>', ['<|endoftext|>', '<file_sep>', '<fim_pad>'], '<file_sep>'),
  deepseek: spec('deepseek', '<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>', ['<｜end▁of▁sentence｜>', '<|EOT|>']),
  // Codestral is suffix-first: the middle continues right after the prefix.
  codestral: spec('codestral', '[PREFIX]', '[SUFFIX]', '', ['</s>', '[SUFFIX]', '[PREFIX]'], undefined, 'spm'),
  codellama: spec('codellama', '<PRE>', '<SUF>', '<MID>', ['<EOT>', '</s>', ' <EOT>']),
};

/** The folder's FIM support, or undefined when it has no FIM tokens. */
export function detectFim(evidence: FimEvidence): FimSpec | undefined {
  const has = (...t: string[]) => t.every((x) => evidence.tokens.has(x));
  const d = evidence.declared;
  if (d) {
    // Declared tokens (Lathe's own models): Qwen-style names with an end-of-text stop.
    const stop = ['<|endoftext|>', d.fileSeparator, '<|fim_pad|>'].filter((x): x is string => !!x && (evidence.tokens.has(x) || x === d.fileSeparator));
    const layout = evidence.layout ? { layout: evidence.layout } : {};
    return { family: has('<|repo_name|>') ? 'qwen' : 'lathe', tokens: d, stop, order: evidence.order ?? 'psm', declared: true, ...layout };
  }
  if (has('<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_separator|>')) return FAMILY_FIM.codegemma;
  if (has('<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>')) {
    return has('<|file_sep|>') ? FAMILY_FIM.qwen : spec('qwen', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', ['<|endoftext|>', '<|fim_pad|>', '<|im_end|>']);
  }
  if (has('<fim_prefix>', '<fim_suffix>', '<fim_middle>')) {
    return has('<file_sep>') ? FAMILY_FIM.starcoder : spec('starcoder', '<fim_prefix>', '<fim_suffix>', '<fim_middle>', ['<|endoftext|>', '<fim_pad>']);
  }
  if (has('<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>')) return FAMILY_FIM.deepseek;
  if (has('[SUFFIX]', '[PREFIX]')) return FAMILY_FIM.codestral;
  if (has('▁<PRE>', '▁<SUF>', '▁<MID>') || has('<PRE>', '<SUF>', '<MID>')) return FAMILY_FIM.codellama;
  return undefined;
}
