/**
 * Runaway cutting: the shapes a small model falls into when it stops making sense and starts
 * repeating itself — the same line again and again (`self.output = None` for twenty lines), a
 * block of lines again, a phrase again in a comment (`// the line end of the line end`), an
 * item again in one list (`const { url, url, url }`, `f(url, url)`) — and more lines than the
 * user allows. Each is cut where the repetition starts; the pipeline runs the same check while
 * the model streams and stops the generation there.
 */
import { blankStringContents } from '../common/stringLiterals';

export type RunawayKind = 'repeated-line' | 'repeated-block' | 'repeated-words' | 'repeated-item' | 'max-lines';

export interface RunawayCut {
  /** The text kept (a prefix of the input, trailing blanks removed). */
  readonly text: string;
  readonly kind: RunawayKind;
  /** Index of the line (0 = the cursor's line) where the cut happened. */
  readonly line: number;
}

/** Lines that legitimately repeat: closers, `else`, `pass`, `break`, a bare list item (`None,`, `0,`, `"",`). */
const TRIVIAL = /^(?:[\s)\]}>;,]*|\}?\s*else\s*\{?|else:|pass|break;?|continue;?|return;?|end|fi|done|\.\.\.|[\w."'`$-]{0,24},?)$/;

const isRepeatable = (line: string) => TRIVIAL.test(line.trim()) || line.trim().length < 8;

/**
 * A non-trivial line (8+ characters of code, not a closer or a bare list item) written again
 * right after itself, or any non-blank line a third time: cut before the repeat.
 */
function repeatedLine(lines: readonly string[]): number | undefined {
  const count = new Map<string, number>();
  let previous: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '') continue;
    const n = (count.get(t) ?? 0) + 1;
    if ((t === previous && !isRepeatable(lines[i])) || (n >= 3 && !TRIVIAL.test(t))) return n >= 3 && t !== previous ? i : firstOfRun(lines, i);
    count.set(t, n);
    previous = t;
  }
  return undefined;
}

/** Where the run of copies ending at `i` starts, plus one: the first copy stays. */
function firstOfRun(lines: readonly string[], i: number): number {
  const t = lines[i].trim();
  let j = i;
  while (j > 0 && (lines[j - 1].trim() === t || lines[j - 1].trim() === '')) j--;
  while (lines[j].trim() !== t) j++;
  return j + 1;
}

/** A block of two or more lines (with at least one non-trivial line) written again right after itself. */
function repeatedBlock(lines: readonly string[]): number | undefined {
  for (let end = 4; end <= lines.length; end++) {
    for (let k = 2; 2 * k <= end; k++) {
      const a = end - 2 * k;
      let same = true;
      let substantial = false;
      for (let j = 0; j < k && same; j++) {
        same = lines[a + j].trimEnd() === lines[a + k + j].trimEnd();
        substantial ||= !TRIVIAL.test(lines[a + j].trim());
      }
      if (same && substantial) return a + k;
    }
  }
  return undefined;
}

/** Where a line's comment text starts (`//`, `#`, `--`, `/*`, a `*` continuation), or -1. */
function commentStart(line: string): number {
  const lead = line.match(/^\s*(?:\/\*+|\*(?!\/)|#|--|\/\/+)\s?/);
  if (lead) return lead[0].length;
  const inline = line.search(/\s(?:\/\/|#)\s/);
  return inline < 0 ? -1 : inline + 3;
}

/**
 * Prose that repeats a phrase: three words again on one comment line, five on another line.
 * Returns the line, and the column where the repeated phrase starts when it repeats on its own line.
 */
function repeatedWords(lines: readonly string[], from: number): { line: number; col?: number } | undefined {
  const words: { w: string; line: number; col: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = commentStart(lines[i]);
    if (start < 0) continue;
    const re = /[A-Za-z][A-Za-z']*/g;
    re.lastIndex = start;
    for (let m = re.exec(lines[i]); m; m = re.exec(lines[i])) words.push({ w: m[0].toLowerCase(), line: i, col: m.index });
  }
  const firstAt = new Map<string, number>();
  for (let i = 0; i < words.length; i++) {
    for (const n of [3, 5]) {
      if (i + n > words.length) continue;
      const key = `${n}:${words.slice(i, i + n).map((x) => x.w).join(' ')}`;
      const earlier = firstAt.get(key);
      const sameLine = earlier !== undefined && words[earlier].line === words[i].line;
      const mine = words[i].line > 0 || words[i + n - 1].col >= from;
      // Again on the same line: cut at the phrase; on a later line: that whole line goes.
      if (earlier !== undefined && earlier + n <= i && mine && sameLine === (n === 3)) return words[earlier].line === words[i].line ? { line: words[i].line, col: words[i].col } : { line: words[i].line };
      if (earlier === undefined) firstAt.set(key, i);
    }
  }
  return undefined;
}

/**
 * An identifier written twice as items of the same bracketed list on one line (`{ url, url }`,
 * `f(url, url)`): the column of the comma before the second one. Strings are skipped; one-letter
 * names (`(n, n)` shapes) and numbers are data, not runaways.
 */
export function repeatedItem(line: string, from = 0): number | undefined {
  const masked = blankStringContents(line);
  const stack: { items: Set<string>; itemStart: number }[] = [];
  const close = (i: number): number | undefined => {
    const top = stack[stack.length - 1];
    if (!top) return undefined;
    const raw = masked.slice(top.itemStart, i);
    const item = raw.trim();
    if (/^[A-Za-z_$][\w$]+$/.test(item)) {
      if (top.items.has(item) && top.itemStart + raw.trimEnd().length > from) return masked.lastIndexOf(',', top.itemStart);
      top.items.add(item);
    }
    return undefined;
  };
  for (let i = 0; i < masked.length; i++) {
    const ch = masked[i];
    if (ch === '(' || ch === '[' || ch === '{') stack.push({ items: new Set(), itemStart: i + 1 });
    else if (ch === ',' || ch === ')' || ch === ']' || ch === '}') {
      const at = close(i);
      if (at !== undefined && at >= 0) return at;
      const top = stack[stack.length - 1];
      if (ch !== ',') stack.pop();
      else if (top) top.itemStart = i + 1;
    }
  }
  // An unclosed list at the end of the line (the model stopped mid-list).
  const at = close(masked.length);
  return at !== undefined && at >= 0 ? at : undefined;
}

/**
 * The first runaway in `lines` (line 0 is the whole cursor line: the text before the cursor
 * and the suggestion's first line), or undefined. `maxLines` counts the suggestion's lines;
 * repetitions inside line 0 count only where the repeat reaches column `from` (the cursor):
 * the user's own text is not a runaway.
 */
export function findRunaway(lines: readonly string[], maxLines = Infinity, from = 0): { kind: RunawayKind; line: number; col?: number } | undefined {
  for (let i = 0; i < lines.length; i++) {
    const col = repeatedItem(lines[i], i === 0 ? from : 0);
    if (col !== undefined) return { kind: 'repeated-item', line: i, col };
  }
  const words = repeatedWords(lines, from);
  const candidates: { kind: RunawayKind; line: number; col?: number }[] = [];
  if (words) candidates.push({ kind: 'repeated-words', line: words.line, col: words.col });
  const line = repeatedLine(lines);
  if (line !== undefined) candidates.push({ kind: 'repeated-line', line });
  const block = repeatedBlock(lines);
  if (block !== undefined) candidates.push({ kind: 'repeated-block', line: block });
  if (lines.length > maxLines) candidates.push({ kind: 'max-lines', line: maxLines });
  candidates.sort((a, b) => a.line - b.line || (a.col ?? 0) - (b.col ?? 0));
  return candidates[0];
}

/**
 * Cuts `completion` (inserted after `prefix`) at its first runaway; undefined when it has
 * none. A cut inside the cursor's line keeps what comes before the repetition.
 */
export function cutRunaway(completion: string, prefix: string, maxLines = Infinity): RunawayCut | undefined {
  const head = prefix.slice(prefix.lastIndexOf('\n') + 1);
  const lines = (head + completion).split('\n');
  const found = findRunaway(lines, maxLines, head.length);
  if (!found) return undefined;
  let keep = lines.slice(0, found.line);
  if (found.col !== undefined) keep = [...keep, lines[found.line].slice(0, found.col)];
  const joined = keep.join('\n');
  const text = joined.length <= head.length ? '' : joined.slice(head.length).replace(/\s+$/, '');
  return { text, kind: found.kind, line: found.line };
}
