/**
 * Fill-in-the-middle prompts: how each model family lays out prefix, suffix and context around
 * its FIM tokens. Which family and tokens a model has comes from its folder (`core/models`,
 * `readModelFolder(dir).fim`) or, for a remote server, from the family the user names.
 */
import { renderContextHead, type ContextSnippet } from '../models/contextLayout';
import type { FimFamily, FimOrder, FimSpec } from '../models/fim';

export interface FimParts {
  readonly prefix: string;
  readonly suffix: string;
  /** Optional context (other files, definitions) placed before the FIM prefix. */
  readonly context?: string;
  /** Repository-relative file path, for templates that carry it. */
  readonly filePath?: string;
  /** Context as pieces (path + code), rendered in the model's context layout when it declares one. */
  readonly pieces?: readonly ContextSnippet[];
}

export interface FimTemplate {
  readonly family: FimFamily;
  /** Builds the full prompt; the model's answer is the middle. */
  build(parts: FimParts): string;
  /** Strings that end the middle: the family's end/separator tokens. */
  readonly stop: readonly string[];
}

/**
 * The prompt template for a model's FIM support. `order` overrides the folder's preferred
 * order, for models that declare their own tokens (Lathe's models were trained on both); other
 * families keep the order they were trained on.
 */
export function fimTemplate(spec: FimSpec, order?: FimOrder): FimTemplate {
  const { prefix: pre, suffix: suf, middle: mid, fileSeparator: sep } = spec.tokens;
  const stop = spec.stop;
  switch (spec.family) {
    case 'codestral':
      return { family: spec.family, stop, build: ({ prefix, suffix, context }) => `${context ? `${context}\n` : ''}${suf}${suffix}${pre}${prefix}` };
    case 'codellama':
      return { family: spec.family, stop, build: ({ prefix, suffix, context }) => `${context ? `${context}\n` : ''}${pre} ${prefix} ${suf}${suffix} ${mid}` };
    default: {
      const layout = spec.layout;
      // A model trained on repository context (lathe.json `context_layout`) gets the pieces in that
      // layout and the file's header; a free-form context without pieces keeps the separator form.
      const head = ({ context, filePath, pieces }: FimParts) =>
        layout && (pieces || !context)
          ? renderContextHead(layout, pieces ?? [], filePath)
          : context
            ? sep
              ? `${sep}${context}${sep}${filePath ? `${filePath}\n` : ''}`
              : `${context}\n`
            : '';
      // Suffix first (`<pre><suf>{suffix}<mid>{prefix}`): typing at the cursor only appends to the
      // prompt, so the engine's prefix KV cache covers everything before it.
      const spm = (spec.declared ? (order ?? spec.order) : spec.order) === 'spm';
      return {
        family: spec.family,
        stop,
        build: (parts) =>
          spm ? `${head(parts)}${pre}${suf}${parts.suffix}${mid}${parts.prefix}` : `${head(parts)}${pre}${parts.prefix}${suf}${parts.suffix}${mid}`,
      };
    }
  }
}
