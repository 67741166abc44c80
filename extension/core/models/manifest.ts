/**
 * `lathe.json`: what Lathe's own model folders say about themselves beyond the Hugging Face
 * files — the recommended weight file, the FIM tokens and prompt order they were trained on,
 * the context they were trained with. Optional in every folder; unknown keys are kept.
 */
import { tokenContent, type JsonObject } from './jsonFile';
import { parseContextLayout, type ContextLayout } from './contextLayout';
import type { FimOrder } from './fim';

export interface LatheManifest {
  /** The ONNX file under onnx/ that `dtype: auto` loads. */
  readonly defaultOnnx?: string;
  readonly fimFormat?: FimOrder;
  readonly fimPrefixToken?: string;
  readonly fimSuffixToken?: string;
  readonly fimMiddleToken?: string;
  readonly fileSeparatorToken?: string;
  /** Tokens of context the model was trained with. */
  readonly trainedContextTokens?: number;
  /** How the model was trained to see repository context (`context_layout`). */
  readonly contextLayout?: ContextLayout;
  /** The whole document, for keys this reader does not know. */
  readonly raw: JsonObject;
}

/** `file` names lathe.json in errors: a malformed `context_layout` is an error, other keys are optional. */
export function parseManifest(doc: JsonObject, file = 'lathe.json'): LatheManifest {
  const name = doc.default_onnx;
  const format = doc.fim_format;
  const trained = doc.trained_context_tokens;
  return {
    // Only a plain file name: the manifest must not point outside onnx/.
    defaultOnnx: typeof name === 'string' && /^[\w.-]+\.onnx$/.test(name) ? name : undefined,
    fimFormat: format === 'psm' || format === 'spm' ? format : undefined,
    fimPrefixToken: tokenContent(doc.fim_prefix_token),
    fimSuffixToken: tokenContent(doc.fim_suffix_token),
    fimMiddleToken: tokenContent(doc.fim_middle_token),
    fileSeparatorToken: tokenContent(doc.file_separator_token),
    trainedContextTokens: typeof trained === 'number' && Number.isInteger(trained) && trained > 0 ? trained : undefined,
    contextLayout: parseContextLayout(doc.context_layout, file),
    raw: doc,
  };
}
