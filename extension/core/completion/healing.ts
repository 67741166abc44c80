/**
 * Token healing, prompt side. A cursor sits anywhere, but a model only ever saw prompts that
 * end on a token boundary of the text as written: "    return fo" tokenizes as "…return", " fo"
 * while the finished line has " format". Cutting the last pre-token word off the prefix, and
 * having the engine force the output to start with it, puts the boundary back where the model
 * expects it. The word classes follow byte-level BPE pre-tokenizers (GPT-2, Llama 3, Qwen,
 * StarCoder and Lathe's own): an identifier or number with an optional leading space, a run of
 * punctuation with an optional leading space, or a run of whitespace (newlines included).
 */

/** Longest text healed; a longer tail (say, a huge indentation run) is left as it is. */
const MAX_TAIL = 64;

const TAIL = /(?:[ ]?[\p{L}\p{N}_]+|[ ]?[^\s\p{L}\p{N}_]+|\s+)$/u;

/**
 * The prefix to put in the prompt and the text the engine must force, for a generator with
 * token healing (`enabled`); without it the prefix stays whole.
 */
export function healPrefix(prefix: string, enabled: boolean): { readonly prefix: string; readonly forcePrefix?: string } {
  const tail = enabled ? healTail(prefix) : '';
  return tail ? { prefix: prefix.slice(0, prefix.length - tail.length), forcePrefix: tail } : { prefix };
}

/** The end of `prefix` to move into the forced output ('' when nothing should move). */
export function healTail(prefix: string): string {
  const m = TAIL.exec(prefix.length > 256 ? prefix.slice(-256) : prefix);
  if (!m) return '';
  const tail = m[0];
  return tail.length <= MAX_TAIL ? tail : '';
}
