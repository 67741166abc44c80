/**
 * The prefix and suffix windows around the cursor, measured in tokens and bounded in
 * characters (minified one-line files never hand megabytes to the tokenizer). The prefix
 * window's first line snaps to a multiple of `snapLines` (16), so consecutive keystrokes keep
 * the same window start and the same prompt prefix for the KV cache.
 */
import type { LineIndex } from './lineIndex';
import type { TokenCounter } from './types';

export interface TextWindow {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly tokens: number;
}

/** Characters considered per budget token; generous for code (about 3-4 chars per token). */
const CHARS_PER_TOKEN_CAP = 8;

export function prefixWindow(
  text: string,
  offset: number,
  budget: number,
  counter: TokenCounter,
  lines?: LineIndex,
  snapLines = 16,
): TextWindow {
  const lower = Math.max(0, offset - Math.max(256, budget * CHARS_PER_TOKEN_CAP));
  let start = offset;
  let used = 0;
  let wholeLines = 0;
  while (start > lower) {
    const lineStart = text.lastIndexOf('\n', start - 2) + 1;
    const from = Math.max(lineStart, lower);
    const segment = text.slice(from, start);
    const t = counter.count(segment);
    if (from > lineStart || (used + t > budget && wholeLines === 0)) {
      // Cut by the character bound, or the cursor line alone is over budget (minified code):
      // take the tail that fits.
      const tail = fitTail(segment, budget - used, counter);
      return finish(text, start - tail.length, offset, counter);
    }
    if (used + t > budget) break;
    used += t;
    start = from;
    wholeLines++;
  }
  if (start > 0 && lines && snapLines > 1) {
    // Snap the first line up to a multiple of `snapLines` (or of a smaller power of two when
    // that would drop more than half of the window's lines).
    const startLine = lines.positionAt(start).line;
    const cursorLine = lines.positionAt(offset).line;
    for (let grain = snapLines; grain > 1; grain >>= 1) {
      const snapped = Math.ceil(startLine / grain) * grain;
      if (cursorLine - snapped >= (cursorLine - startLine) / 2) {
        start = lines.lineStart(snapped);
        break;
      }
    }
  }
  return finish(text, start, offset, counter);
}

export function suffixWindow(text: string, offset: number, budget: number, counter: TokenCounter): TextWindow {
  const upper = Math.min(text.length, offset + Math.max(128, budget * CHARS_PER_TOKEN_CAP));
  let end = offset;
  let used = 0;
  while (end < upper) {
    const nl = text.indexOf('\n', end);
    const lineEnd = nl === -1 ? text.length : nl + 1;
    const to = Math.min(lineEnd, upper);
    const segment = text.slice(end, to);
    const t = counter.count(segment);
    if (used + t > budget || to < lineEnd) {
      const head = fitHead(segment, budget - used, counter);
      end += head.length;
      break;
    }
    used += t;
    end = to;
  }
  const out = text.slice(offset, end);
  return { text: out, start: offset, end, tokens: counter.count(out) };
}

function finish(text: string, start: number, end: number, counter: TokenCounter): TextWindow {
  const out = text.slice(start, end);
  return { text: out, start, end, tokens: counter.count(out) };
}

/** The longest tail of `s` within `budget` tokens (by halving, a handful of counts). */
function fitTail(s: string, budget: number, counter: TokenCounter): string {
  if (budget <= 0) return '';
  let len = Math.min(s.length, budget * 4);
  while (len > 0) {
    const tail = s.slice(safeStart(s, s.length - len));
    if (counter.count(tail) <= budget) return tail;
    len = Math.floor(len * 0.7);
  }
  return '';
}

function fitHead(s: string, budget: number, counter: TokenCounter): string {
  if (budget <= 0) return '';
  let len = Math.min(s.length, budget * 4);
  while (len > 0) {
    const head = s.slice(0, safeEnd(s, len));
    if (counter.count(head) <= budget) return head;
    len = Math.floor(len * 0.7);
  }
  return '';
}

/** Avoids starting a slice inside a surrogate pair. */
function safeStart(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff ? i + 1 : i;
}

function safeEnd(s: string, i: number): number {
  const c = s.charCodeAt(i - 1);
  return c >= 0xd800 && c <= 0xdbff ? i - 1 : i;
}
