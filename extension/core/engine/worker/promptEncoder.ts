/**
 * Prompt tokenization that reuses earlier work. Completion prompts change by a few characters
 * per keystroke, yet a pure-JS BPE pass over 1,500 tokens costs milliseconds on every request.
 * Text is cut after a single newline between two non-space characters (top-level lines of code)
 * — a point where the pre-tokenizers of byte-level BPE models (GPT-2, Llama 3, Qwen, StarCoder
 * styles) always split, also at the end of a piece (a longer whitespace run would not: GPT-2's
 * `\s+(?!\S)` groups it differently at the end of a string) — and each piece's ids are memoised.
 *
 * Whether the cut is safe is checked per tokenizer at construction: chunked and whole-text
 * encodings of a probe text must agree, otherwise every prompt is encoded whole.
 */
import type { ModelTokenizer } from '../../models/tokenizer';

const CUT = /(?<=\S\n)(?=\S)/;
const PROBE =
  'import os\n\ndef f(x):\n    return x + 1\n\nclass A:\n  pass\n};\n\nfoo();\n  bar\n\tbaz\n// héllo wörld 漢字 😀\nx\n\n\ny\r\nz\n';

export class PromptEncoder {
  private readonly memo = new Map<string, readonly number[]>();
  readonly chunked: boolean;
  private readonly specialPrefix: readonly number[];
  private readonly specialSuffix: readonly number[];

  constructor(
    private readonly tokenizer: ModelTokenizer,
    /** A special token the model's prompts contain (its FIM prefix), to probe with. */
    specialToken?: string,
    private readonly maxPieces = 8192,
  ) {
    const probe = PROBE + [specialToken, tokenizer.eosToken, tokenizer.bosToken].filter((t) => t).join('\nq') + '\nend';
    this.chunked = sameIds(this.encodePieces(probe), tokenizer.encode(probe));
    this.memo.clear();
    // What the post-processor adds around a text (e.g. BOS), for `addSpecialTokens`.
    const bare = tokenizer.encode('a');
    const full = tokenizer.encode('a', { addSpecialTokens: true });
    const at = indexOfRun(full, bare);
    this.specialPrefix = at >= 0 ? full.slice(0, at) : [];
    this.specialSuffix = at >= 0 ? full.slice(at + bare.length) : [];
    if (at < 0) this.chunked = false;
  }

  encode(text: string, addSpecialTokens = false): number[] {
    if (!this.chunked) return this.tokenizer.encode(text, { addSpecialTokens });
    const ids = this.encodePieces(text);
    return addSpecialTokens ? [...this.specialPrefix, ...ids, ...this.specialSuffix] : ids;
  }

  private encodePieces(text: string): number[] {
    const out: number[] = [];
    for (const piece of text.split(CUT)) {
      let ids = this.memo.get(piece);
      if (ids) {
        this.memo.delete(piece); // refresh its place in the LRU order
      } else {
        ids = this.tokenizer.encode(piece);
      }
      this.memo.set(piece, ids);
      for (const id of ids) out.push(id);
    }
    while (this.memo.size > this.maxPieces) this.memo.delete(this.memo.keys().next().value as string);
    return out;
  }
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function indexOfRun(haystack: readonly number[], needle: readonly number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
