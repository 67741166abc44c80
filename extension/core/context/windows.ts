/**
 * The prefix and suffix windows around the cursor, measured in tokens and bounded in
 * characters (minified one-line files never hand megabytes to the tokenizer). The prefix
 * window's first line snaps to a multiple of `snapLines` (16), so consecutive keystrokes keep
 * the same window start and the same prompt prefix for the KV cache.
 */
import type { LineIndex } from './lineIndex';
import type { TokenCounter } from '../models/tokenCounter';

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
  // Whole lines taken, nearest the cursor first: where each starts and its token count.
  const taken: Array<{ start: number; tokens: number }> = [];
  while (start > lower) {
    // (lastIndexOf clamps a negative position to 0: at start 1 it would find the text's own
    // first newline again, and a text that starts with an empty line would loop here forever)
    const lineStart = start >= 2 ? text.lastIndexOf('\n', start - 2) + 1 : 0;
    const from = Math.max(lineStart, lower);
    const segment = text.slice(from, start);
    const t = counter.count(segment);
    if (from > lineStart || (used + t > budget && taken.length === 0)) {
      // Cut by the character bound, or the cursor line alone is over budget (minified code):
      // take the tail that fits.
      const tail = fitTail(segment, budget - used, counter);
      return window(text, start - tail.text.length, offset, used + tail.tokens);
    }
    if (used + t > budget) break;
    used += t;
    start = from;
    taken.push({ start, tokens: t });
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
        used = taken.reduce((n, l) => (l.start >= start ? n + l.tokens : n), 0);
        break;
      }
    }
  }
  return window(text, start, offset, used);
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
      end += head.text.length;
      used += head.tokens;
      break;
    }
    used += t;
    end = to;
  }
  return window(text, offset, end, used);
}

/**
 * A window's token count is the sum of its lines' counts: never below the count of the joined
 * text for code tokenizers (a newline and the next line's indentation may merge into one
 * token when joined), so a window within budget by the sum is within budget.
 */
function window(text: string, start: number, end: number, tokens: number): TextWindow {
  return { text: text.slice(start, end), start, end, tokens };
}

/** The longest tail of `s` within `budget` tokens (by halving, a handful of counts). */
function fitTail(s: string, budget: number, counter: TokenCounter): { text: string; tokens: number } {
  if (budget <= 0) return { text: '', tokens: 0 };
  let len = Math.min(s.length, budget * 4);
  while (len > 0) {
    const tail = s.slice(safeStart(s, s.length - len));
    const tokens = counter.count(tail);
    if (tokens <= budget) return { text: tail, tokens };
    len = Math.floor(len * 0.7);
  }
  return { text: '', tokens: 0 };
}

function fitHead(s: string, budget: number, counter: TokenCounter): { text: string; tokens: number } {
  if (budget <= 0) return { text: '', tokens: 0 };
  let len = Math.min(s.length, budget * 4);
  while (len > 0) {
    const head = s.slice(0, safeEnd(s, len));
    const tokens = counter.count(head);
    if (tokens <= budget) return { text: head, tokens };
    len = Math.floor(len * 0.7);
  }
  return { text: '', tokens: 0 };
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
