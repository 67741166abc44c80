/**
 * Whether the start of a .jsonl file looks like training data (rows in one of the formats the
 * dataset editor reads), so that such files open in the dataset editor and other JSON Lines
 * (logs, exports) stay text. Looks at the first complete lines only.
 */
import { detectRowFormat } from './detect';

/** Bytes of a file's start that are read to decide. */
export const SNIFF_BYTES = 64 * 1024;
/** Complete lines looked at. */
const SNIFF_LINES = 8;
/** A first row too long for the sniffed bytes: its opening key says what it is. */
const ROW_START = /^\s*\{\s*"(messages|conversations|preferred_output|non_preferred_output|input|instruction|prompt|prefix)"\s*:/;

/** `head`: the file's first SNIFF_BYTES (or all of it); `complete`: it is the whole file. */
export function looksLikeTrainingData(head: string, complete: boolean): boolean {
  const lines = head.replace(/^\uFEFF/, '').split('\n');
  if (!complete) lines.pop(); // cut mid-row
  const rows = lines.map((l) => l.trim()).filter((l) => l !== '').slice(0, SNIFF_LINES);
  if (rows.length === 0) return !complete && ROW_START.test(head.replace(/^\uFEFF/, ''));
  let known = 0;
  for (const line of rows) {
    try {
      if (detectRowFormat(JSON.parse(line)) !== undefined) known++;
    } catch {
      // a broken row: the editor is where it gets fixed, but it says nothing about the format
    }
  }
  return known > 0 && known * 2 >= rows.length;
}
