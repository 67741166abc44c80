/**
 * JSONL rows: fuzzed dataset files go through every file task (lint, PII scan and redact,
 * convert, dedup, split) and the appender. A task may report a row as a problem but must not
 * throw, and every line must come out again: convert and redact write as many lines as they
 * read (lost rows otherwise), and an append adds exactly its rows.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendJsonl } from '../../../extension/core/common/fs/appendJsonl';
import { FORMATS, type FormatId } from '../../../extension/core/curation/formats/types';
import { splitLines } from '../../../extension/core/curation/jsonl/lines';
import { lintFile } from '../../../extension/core/curation/lint/file';
import { approximateCounter } from '../../../extension/core/curation/lint/tokens';
import { convertFile } from '../../../extension/core/curation/tasks/convertFile';
import { dedupFiles } from '../../../extension/core/curation/tasks/dedupFiles';
import { redactFile, scanFile } from '../../../extension/core/curation/tasks/piiFile';
import { splitFile } from '../../../extension/core/curation/tasks/splits';
import type { Gen } from '../gen';
import type { Outcome } from '../outcome';

export interface JsonlInput {
  readonly bytes: Uint8Array;
  readonly to: FormatId;
}

const KEYS = ['messages', 'role', 'content', 'conversations', 'from', 'value', 'instruction', 'input', 'output', 'prompt', 'completion', 'prefix', 'suffix', 'middle', 'preferred_output', 'non_preferred_output', 'text', 'type', 'name', 'tags'];

function validRow(g: Gen): unknown {
  const t = () => (g.chance(0.2) ? g.pick(['mail ann@example.com', 'call +1 415 555 0100', 'key sk-abcdefghijklmnopqrstuvwx', '4111 1111 1111 1111', '']) : g.text());
  switch (g.int(6)) {
    case 0:
      return { messages: [{ role: g.pick(['system', 'user', 'assistant', 'tool', 'bot']), content: t() }, { role: 'assistant', content: g.chance(0.8) ? t() : g.json(3) }] };
    case 1:
      return { instruction: t(), input: t(), output: t() };
    case 2:
      return { conversations: [{ from: 'human', value: t() }, { from: g.pick(['gpt', 'human', 'x']), value: t() }] };
    case 3:
      return { input: { messages: [{ role: 'user', content: t() }] }, preferred_output: [{ role: 'assistant', content: t() }], non_preferred_output: [{ role: 'assistant', content: t() }] };
    case 4:
      return { prompt: t(), completion: t() };
    default:
      return { prefix: t(), suffix: t(), middle: t() };
  }
}

function line(g: Gen): Buffer {
  const r = g.int(100);
  if (r < 40) return Buffer.from(JSON.stringify(validRow(g)));
  if (r < 60) return g.mutate(JSON.stringify(validRow(g)));
  if (r < 75) return Buffer.from(JSON.stringify(g.json(5, KEYS)) ?? 'null');
  if (r < 80) return Buffer.from(g.pick(['', '   ', '\t', 'null', '[]', '"str"', '1e999', '{"messages": [', '\xff\xfe{}']), 'latin1');
  if (r < 85) return Buffer.from(`{"messages":[{"role":"user","content":${g.deep(g.pick([600, 5_000, 20_000]))}},{"role":"assistant","content":"y"}]}`);
  if (r < 88) return Buffer.from(g.deep(g.pick([513, 20_000, 100_000])));
  if (r < 91) return Buffer.from(JSON.stringify({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'a'.repeat(g.pick([600_000, 1_000_000, 4_000_000])) }] }));
  return g.mutate(g.text(200));
}

export function generate(g: Gen): JsonlInput {
  const n = 1 + g.int(20);
  const eol = g.chance(0.2) ? '\r\n' : '\n';
  const parts: Buffer[] = [];
  if (g.chance(0.05)) parts.push(Buffer.from('\ufeff'));
  for (let i = 0; i < n; i++) {
    parts.push(line(g));
    if (i < n - 1 || g.chance(0.8)) parts.push(Buffer.from(eol));
  }
  return { bytes: Buffer.concat(parts), to: g.pick(FORMATS) };
}

const lineCount = (file: string) => splitLines(readFileSync(file)).length;

export async function run(input: JsonlInput): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'lathe-fuzz-jsonl-'));
  try {
    const file = join(dir, 'data.jsonl');
    writeFileSync(file, input.bytes);
    const lines = splitLines(Buffer.from(input.bytes)).length;
    let lost = 0;
    const lint = await lintFile(file, { counter: approximateCounter, maxTokens: 4096 });
    if (lint.lines !== lines) lost += Math.abs(lines - lint.lines);
    await scanFile(file);
    await redactFile(file, join(dir, 'redacted.jsonl'));
    lost += Math.max(0, lines - lineCount(join(dir, 'redacted.jsonl')));
    await convertFile(file, join(dir, 'converted.jsonl'), input.to);
    lost += Math.max(0, lines - lineCount(join(dir, 'converted.jsonl')));
    await dedupFiles([file, join(dir, 'converted.jsonl')]);
    const split = await splitFile(file, { seed: 'fuzz', outDir: join(dir, 'splits') });
    const written = Object.values(split.files).reduce((a, f) => a + f.rows, 0);
    lost += Math.max(0, lint.validRows - written - split.failed.length);
    await appendJsonl(file, [{ appended: true }]);
    lost += Math.max(0, lines + 1 - lineCount(file));
    return { ok: true, lost };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
