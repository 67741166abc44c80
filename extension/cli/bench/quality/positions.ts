/**
 * Cursor positions for line-completion quality: seeded, half at the start of a line's code
 * (after its indentation), half in the middle of it. The expected answer is the rest of the
 * line; the FIM suffix starts at the next line, so the answer is never in the prompt.
 */
import { seededRandom } from '../../../core/common/rng';
export interface QualitySample {
  readonly file: string;
  readonly line: number;
  readonly kind: 'line-start' | 'mid-line';
  readonly prefix: string;
  readonly suffix: string;
  readonly expected: string;
  /** The whole file with the expected text removed, and the cursor in it (for full context). */
  readonly docText: string;
  readonly docOffset: number;
}


export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** Lines worth completing: some code (≥ 6 chars after indentation), not a comment-only line. */
function candidateLines(text: string): number[] {
  const lines = text.split('\n');
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const code = lines[i].trim();
    if (code.length >= 6 && code.length <= 200 && !/^(\/\/|#|\*|\/\*)/.test(code)) out.push(i);
  }
  return out;
}

export function samplePositions(files: readonly SourceFile[], n: number, seed: number, prefixChars = 4000, suffixChars = 1000): QualitySample[] {
  const rnd = seededRandom(seed);
  const usable = files.map((f) => ({ f, lines: candidateLines(f.text), starts: lineStarts(f.text) })).filter((x) => x.lines.length > 0);
  if (usable.length === 0) throw new Error('no file has a line worth completing');
  const samples: QualitySample[] = [];
  for (let i = 0; i < n; i++) {
    const { f, lines, starts } = usable[Math.floor(rnd() * usable.length)];
    const line = lines[Math.floor(rnd() * lines.length)];
    const lineText = f.text.slice(starts[line], line + 1 < starts.length ? starts[line + 1] - 1 : f.text.length);
    const indent = lineText.length - lineText.trimStart().length;
    const code = lineText.trimEnd();
    const kind = i % 2 === 0 ? 'line-start' : 'mid-line';
    const col = kind === 'line-start' ? indent : indent + 1 + Math.floor(rnd() * (code.length - indent - 1));
    const cursor = starts[line] + col;
    const lineEnd = starts[line] + lineText.length;
    samples.push({
      file: f.path,
      line: line + 1,
      kind,
      prefix: f.text.slice(Math.max(0, cursor - prefixChars), cursor),
      suffix: f.text.slice(lineEnd, lineEnd + suffixChars),
      expected: f.text.slice(cursor, starts[line] + code.length),
      docText: f.text.slice(0, cursor) + f.text.slice(lineEnd),
      docOffset: cursor,
    });
  }
  return samples;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** Exact match of a completed line: trailing whitespace ignored. */
export function lineMatches(predicted: string, expected: string): boolean {
  const first = predicted.split('\n')[0];
  return first.trimEnd() === expected.trimEnd();
}
