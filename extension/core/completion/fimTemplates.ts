/**
 * Fill-in-the-middle prompt templates per model family. The family is chosen from the special
 * tokens the model folder declares (tokenizer added tokens, tokenizer_config FIM keys), never
 * from the model's name: a fine-tune called "my-model" with StarCoder2's tokens is StarCoder2.
 */
export type FimFamily = 'lathe' | 'qwen' | 'starcoder' | 'deepseek' | 'codellama' | 'codestral' | 'codegemma';

export interface FimParts {
  readonly prefix: string;
  readonly suffix: string;
  /** Optional context (other files, definitions) placed before the FIM prefix. */
  readonly context?: string;
  /** Repository-relative file path, for templates that carry it. */
  readonly filePath?: string;
}

export interface FimTemplate {
  readonly family: FimFamily;
  /** Builds the full prompt; the model's answer is the middle. */
  build(parts: FimParts): string;
  /** Strings that end the middle: the family's end/separator tokens. */
  readonly stop: readonly string[];
}

/** Special tokens a model folder declares; `declared` wins when present. */
export interface FimTokenSource {
  /** Every added/special token string of the tokenizer. */
  readonly tokens: ReadonlySet<string>;
  /** FIM tokens declared explicitly by the folder (tokenizer_config keys or lathe.json). */
  readonly declared?: { readonly prefix: string; readonly suffix: string; readonly middle: string; readonly fileSeparator?: string };
  /** Prompt order the folder prefers (lathe.json `fim_format`): prefix-suffix-middle or suffix-prefix-middle. */
  readonly order?: FimOrder;
}

export type FimOrder = 'psm' | 'spm';

function psm(family: FimFamily, pre: string, suf: string, mid: string, stop: string[], sep?: string): FimTemplate {
  return {
    family,
    stop,
    build: ({ prefix, suffix, context, filePath }) => {
      const head = context ? (sep ? `${sep}${context}${sep}${filePath ? `${filePath}\n` : ''}` : `${context}\n`) : '';
      return `${head}${pre}${prefix}${suf}${suffix}${mid}`;
    },
  };
}

/**
 * Suffix-first variant of a PSM family (`<pre><suf>{suffix}<mid>{prefix}`): typing at the cursor
 * only appends to the prompt, so the engine's prefix KV cache covers everything before it.
 */
function spm(family: FimFamily, pre: string, suf: string, mid: string, stop: string[], sep?: string): FimTemplate {
  return {
    family,
    stop,
    build: ({ prefix, suffix, context, filePath }) => {
      const head = context ? (sep ? `${sep}${context}${sep}${filePath ? `${filePath}\n` : ''}` : `${context}\n`) : '';
      return `${head}${pre}${suf}${suffix}${mid}${prefix}`;
    },
  };
}

/** The template of each known family, with its usual special tokens. */
export const FAMILY_TEMPLATES: Readonly<Record<Exclude<FimFamily, 'lathe'>, FimTemplate>> = {
  codegemma: psm('codegemma', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', ['<|file_separator|>', '<eos>', '<end_of_turn>'], '<|file_separator|>'),
  qwen: psm('qwen', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', ['<|endoftext|>', '<|file_sep|>', '<|fim_pad|>', '<|im_end|>'], '<|file_sep|>'),
  starcoder: psm('starcoder', '<fim_prefix>', '<fim_suffix>', '<fim_middle>', ['<|endoftext|>', '<file_sep>', '<fim_pad>'], '<file_sep>'),
  deepseek: psm('deepseek', '<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>', ['<｜end▁of▁sentence｜>', '<|EOT|>']),
  // Codestral is suffix-first (SPM): the middle continues right after the prefix.
  codestral: {
    family: 'codestral',
    stop: ['</s>', '[SUFFIX]', '[PREFIX]'],
    build: ({ prefix, suffix, context }) => `${context ? `${context}\n` : ''}[SUFFIX]${suffix}[PREFIX]${prefix}`,
  },
  codellama: {
    family: 'codellama',
    stop: ['<EOT>', '</s>', ' <EOT>'],
    build: ({ prefix, suffix, context }) => `${context ? `${context}\n` : ''}<PRE> ${prefix} <SUF>${suffix} <MID>`,
  },
};

/** Picks the FIM template for a model, or undefined when it declares no FIM tokens. */
export function detectFimTemplate(source: FimTokenSource): FimTemplate | undefined {
  const has = (...t: string[]) => t.every((x) => source.tokens.has(x));
  const d = source.declared;
  if (d) {
    // Lathe's own models declare their tokens; Qwen-style names with an end-of-text stop.
    const stop = ['<|endoftext|>', d.fileSeparator, '<|fim_pad|>'].filter((x): x is string => !!x && (source.tokens.has(x) || x === d.fileSeparator));
    const family: FimFamily = has('<|repo_name|>') ? 'qwen' : 'lathe';
    return (source.order === 'spm' ? spm : psm)(family, d.prefix, d.suffix, d.middle, stop, d.fileSeparator);
  }
  if (has('<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|file_separator|>')) return FAMILY_TEMPLATES.codegemma;
  if (has('<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>')) {
    return has('<|file_sep|>') ? FAMILY_TEMPLATES.qwen : psm('qwen', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', ['<|endoftext|>', '<|fim_pad|>', '<|im_end|>']);
  }
  if (has('<fim_prefix>', '<fim_suffix>', '<fim_middle>')) {
    return has('<file_sep>') ? FAMILY_TEMPLATES.starcoder : psm('starcoder', '<fim_prefix>', '<fim_suffix>', '<fim_middle>', ['<|endoftext|>', '<fim_pad>']);
  }
  if (has('<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>')) return FAMILY_TEMPLATES.deepseek;
  if (has('[SUFFIX]', '[PREFIX]')) return FAMILY_TEMPLATES.codestral;
  if (has('▁<PRE>', '▁<SUF>', '▁<MID>') || has('<PRE>', '<SUF>', '<MID>')) return FAMILY_TEMPLATES.codellama;
  return undefined;
}
