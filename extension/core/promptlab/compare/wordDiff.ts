/**
 * Word-level diff of two outputs (longest common subsequence over words, whitespace kept with
 * the word before it). Long outputs are compared on their first MAX_DIFF_WORDS words; the rest
 * is marked as differing only where the texts actually differ.
 */

/** A run of text that is the 'same' in both, only in the text ('added'), or only in the reference ('removed'). */
export interface DiffPart {
  readonly text: string;
  readonly kind: 'same' | 'added' | 'removed';
}

export const MAX_DIFF_WORDS = 3000;

export function splitWords(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

function push(parts: DiffPart[], kind: DiffPart['kind'], text: string): void {
  const last = parts.at(-1);
  if (last && last.kind === kind) parts[parts.length - 1] = { kind, text: last.text + text };
  else if (text !== '') parts.push({ kind, text });
}

/** Parts of `text` relative to `reference`: 'same', 'added' (only in text), 'removed' (only in reference). */
export function wordDiff(reference: string, text: string): DiffPart[] {
  const a = splitWords(reference);
  const b = splitWords(text);
  const n = Math.min(a.length, MAX_DIFF_WORDS);
  const m = Math.min(b.length, MAX_DIFF_WORDS);
  const key = (w: string) => w.trim();
  // lcs[i][j] = LCS length of a[i..n) and b[j..m), row-major in one typed array.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = key(a[i]) === key(b[j]) ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
    }
  }
  const parts: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (key(a[i]) === key(b[j])) {
      push(parts, 'same', b[j]);
      i++;
      j++;
    } else if (lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
      push(parts, 'removed', a[i++]);
    } else {
      push(parts, 'added', b[j++]);
    }
  }
  push(parts, 'removed', a.slice(i).join(''));
  push(parts, 'added', b.slice(j).join(''));
  return parts;
}
