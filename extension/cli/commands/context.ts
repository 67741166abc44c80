/**
 * `lathe context`: the prompt context the completion pipeline would assemble at a position,
 * piece by piece with sources and token counts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createLogger, stderrSink } from '../../core/common/logger';
import {
  ContextEngine,
  fileSystemSource,
  languageIdForPath,
  locateAssets,
  type ContextResult,
} from '../../core/context/index';
import { readModelFolder } from '../../core/models/folder';
import { approximateTokenCounter } from '../../core/models/tokenCounter';
import { intFlag, parseFlags, requireFlag } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';

const HELP = `usage: lathe context --file F --line L --col C [options] [--json]

Prints the context assembled for a completion at line L, column C (both 1-based) of file F:
enclosing scopes, definitions of nearby identifiers, similar code, recent edits, and the
prefix/suffix windows, each with its source and token count.

options:
  --model DIR     count tokens with the tokenizer of this model folder (default: an
                  approximate code tokenizer, about ±20%)
  --budget N      total token budget (default 1536)
  --root DIR      workspace folder to index for definitions (default: the nearest folder
                  above F with .git, else F's folder)
  --open FILE     a file to treat as open in the editor (similar code); repeatable
  --no-index      do not index the workspace
  --json          print one JSON object`;

const FLAGS = {
  file: { type: 'string' },
  line: { type: 'string' },
  col: { type: 'string' },
  model: { type: 'string' },
  budget: { type: 'string' },
  root: { type: 'string' },
  open: { type: 'string', multiple: true },
  'no-index': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

function workspaceRootOf(file: string): string {
  for (let d = dirname(file); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return dirname(file);
  }
}

/** Offset of 1-based line/column (columns in characters); clamped to the line. */
function offsetOf(text: string, line: number, col: number): number {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) throw new CliError(`--line ${line} is past the end of the file`);
    start = nl + 1;
  }
  const nl = text.indexOf('\n', start);
  const end = nl === -1 ? text.length : nl;
  return Math.min(start + col - 1, end);
}

export const contextCommand: CliCommand = {
  summary: 'show the prompt context assembled at a file position',
  async run(args, signal) {
    const flags = parseFlags(args, FLAGS, HELP);
    if (!flags) return 0;
    const v = flags.values;
    const file = resolve(requireFlag(v.file, 'file'));
    const line = intFlag(requireFlag(v.line, 'line'), 'line', 1, 1);
    const col = intFlag(requireFlag(v.col, 'col'), 'col', 1, 1);
    const budget = intFlag(v.budget, 'budget', 1536, 16);
    if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
    const t0 = performance.now();
    const counter = v.model ? readModelFolder(resolve(v.model)).tokenCounter() : approximateTokenCounter;
    const root = resolve(v.root ?? workspaceRootOf(file));
    const log = createLogger(stderrSink('warn'), 'context');
    const engine = new ContextEngine({ assets: locateAssets(__dirname), log, workspaceRoot: root });
    try {
      const t1 = performance.now();
      const indexed = v['no-index'] ? undefined : await engine.indexWorkspace(fileSystemSource(root, { maxFiles: 5_000 }), signal);
      const t2 = performance.now();
      for (const p of v.open ?? []) {
        const path = resolve(p);
        await engine.openDocument({ uri: path, languageId: languageIdForPath(path), version: 1, text: readFileSync(path, 'utf8') });
      }
      const text = readFileSync(file, 'utf8');
      const doc = { uri: file, languageId: languageIdForPath(file), version: 1, text };
      const offset = offsetOf(text, line, col);
      const result = await engine.assemble({ doc, offset, counter, budget: { maxTokens: budget } });
      const t3 = performance.now();
      const report = {
        file,
        language: doc.languageId,
        offset,
        syntax: result.syntax,
        counter: v.model ? 'model' : 'approximate',
        budget: result.budget,
        tokens: result.tokens,
        index: indexed ? { files: indexed.files, tags: indexed.tags } : undefined,
        pieces: result.pieces.map((p) => ({
          kind: p.kind,
          source: { file: p.uri, range: p.range },
          tokens: p.tokens,
          ...(p.detail ? { detail: p.detail } : {}),
          text: p.text,
        })),
        timing_ms: {
          load: round(t1 - t0),
          index: round(t2 - t1),
          parse: round(result.timings.parseMs),
          assemble: round(result.timings.assembleMs),
          total: round(t3 - t0),
        },
      };
      if (v.json) console.log(JSON.stringify(report, null, 2));
      else printHuman(report.pieces, result, report.timing_ms);
      return 0;
    } finally {
      engine.dispose();
    }
  },
};

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function printHuman(
  pieces: ReadonlyArray<{ kind: string; source: { file: string; range: { startLine: number; endLine: number } }; tokens: number; detail?: string; text: string }>,
  result: ContextResult,
  timing: Record<string, number>,
): void {
  for (const p of pieces) {
    const where = `${p.source.file}:${p.source.range.startLine + 1}-${p.source.range.endLine + 1}`;
    console.log(`── ${p.kind} ${where} (${p.tokens} tokens${p.detail ? `, ${p.detail}` : ''})`);
    console.log(p.text.replace(/\n$/, ''));
  }
  console.log(`── total ${result.tokens.total} tokens (context ${result.tokens.context}, prefix ${result.tokens.prefix}, suffix ${result.tokens.suffix}); ${JSON.stringify(timing)}`);
}
