/**
 * `lathe refactor docstring|extract|names|tests|body|comment`: the editor's refactorings over
 * the same core, printing the edit as JSON (`edits[].range` 0-based like VS Code; the flags'
 * lines and columns are 1-based like `lathe complete` and the editor's status bar).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '../../base/errorText';
import { languageIdForPath } from '../../core/context/languages';
import { isRefactorError } from '../../core/refactor/errors';
import type { RefactorDocument, RefactorOutcome } from '../../core/refactor/service';
import { intFlag, parseFlags, requireFlag } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';
import { dtypeFlag, modelDirFlag } from '../modelFlags';
import { createRefactorStack } from '../refactor/refactorStack';
import { offsetOf } from './complete';

const ACTIONS = ['docstring', 'extract', 'names', 'tests', 'body', 'comment'] as const;
type Action = (typeof ACTIONS)[number];

const HELP = `usage: lathe refactor <action> --file F [options] [--json]

actions:
  docstring --line L [--col C]          doc comment for the function/class at the line
  extract   --range L1:C1-L2:C2 [--name N]  extract the statements into a function
  names     --line L --col C             names for the identifier there, and the rename to the best
  tests     --line L [--root DIR]        tests for the function at the line
  body      --line L                     complete an empty or stub function body
  comment   --line L                     code from the comment at the line

  Lines and columns are 1-based; the JSON's ranges are 0-based (VS Code's convention).
  --model DIR    model folder (default: the embedded lathe-code-mini)
  --dtype D      weight variant (default auto)
  --seed S       sampling seed for the candidates (default 0)
  --no-types     extract: skip TypeScript's checker for parameter types
  --json         print { "edits": [{ "file", "range", "newText" }], "create_files", … }`;

export const refactorCommand: CliCommand = {
  summary: 'refactor code at a file position (doc comment, extract function, names, tests) and print the edit',
  async run(args, signal) {
    const [action, ...rest] = args;
    if (!action || action === '--help' || action === '-h') {
      console.log(HELP);
      return action ? 0 : 2;
    }
    if (!(ACTIONS as readonly string[]).includes(action)) throw new CliError(`unknown refactor action '${action}' (have: ${ACTIONS.join(', ')})`);
    const parsed = parseFlags(
      rest,
      {
        file: { type: 'string' },
        line: { type: 'string' },
        col: { type: 'string' },
        range: { type: 'string' },
        name: { type: 'string' },
        root: { type: 'string' },
        model: { type: 'string' },
        dtype: { type: 'string' },
        seed: { type: 'string' },
        'no-types': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      HELP,
    );
    if (!parsed) return 0;
    const v = parsed.values;
    const path = resolve(requireFlag(v.file, 'file'));
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${path}: ${errorMessage(err)}`);
    }
    const doc: RefactorDocument = { uri: pathToFileURL(path).href, path, languageId: languageIdForPath(path), version: 1, text };
    const seed = intFlag(v.seed, 'seed', 0);
    const lineOffset = (needCol: boolean) => {
      const line = intFlag(requireFlag(v.line, 'line'), 'line', 0, 1);
      if (needCol || v.col !== undefined) return offsetOf(text, line, intFlag(requireFlag(v.col, 'col'), 'col', 0, 1), path);
      const start = offsetOf(text, line, 1, path);
      return start + (/^[ \t]*/.exec(text.slice(start))?.[0].length ?? 0);
    };
    const stack = await createRefactorStack({ modelDir: modelDirFlag(v.model), dtype: dtypeFlag(v.dtype), noTypes: v['no-types'] });
    const t0 = performance.now();
    try {
      const outcome = await run(action as Action, stack, doc, { lineOffset, range: v.range, name: v.name, root: v.root, seed, signal });
      print({ ...outcome, elapsed_ms: Math.round(performance.now() - t0) }, !!v.json);
      return 0;
    } catch (err) {
      if (!isRefactorError(err)) throw err;
      if (v.json) console.log(JSON.stringify({ edits: [], error: { reason: err.reason, message: err.message } }, null, 2));
      console.error(`lathe refactor ${action}: ${err.message}`);
      return 1;
    } finally {
      stack.dispose();
    }
  },
};

interface RunInput {
  readonly lineOffset: (needCol: boolean) => number;
  readonly range?: string;
  readonly name?: string;
  readonly root?: string;
  readonly seed: number;
  readonly signal: AbortSignal;
}

async function run(action: Action, stack: Awaited<ReturnType<typeof createRefactorStack>>, doc: RefactorDocument, input: RunInput): Promise<RefactorOutcome> {
  const { service } = stack;
  const options = { seed: input.seed, signal: input.signal };
  switch (action) {
    case 'docstring':
      return service.docComment(doc, input.lineOffset(false), options);
    case 'extract': {
      const { start, end } = parseRange(requireFlag(input.range, 'range'), doc);
      const pending = await service.extract(doc, start, end, options);
      const name = input.name ?? pending.names[0]?.name;
      if (!name) throw new CliError('the model proposed no name; pass --name');
      return pending.finish(name);
    }
    case 'names': {
      const r = await service.names(doc, input.lineOffset(true), options);
      const outcome = r.rename(input.name ?? r.suggestions[0].name);
      return { ...outcome, details: { ...outcome.details, model_answers: r.raw, legal_answers: r.legal } };
    }
    case 'tests':
      return service.tests(doc, input.lineOffset(false), resolve(input.root ?? projectRoot(doc.path)), options);
    case 'body':
      return service.completeBody(doc, input.lineOffset(false), options);
    case 'comment':
      return service.codeFromComment(doc, input.lineOffset(false), options);
  }
}

/** `L1:C1-L2:C2`, 1-based, to offsets. */
export function parseRange(spec: string, doc: RefactorDocument): { start: number; end: number } {
  const m = /^(\d+):(\d+)-(\d+):(\d+)$/.exec(spec.trim());
  if (!m) throw new CliError(`--range must look like L1:C1-L2:C2 (1-based lines and columns), got '${spec}'`);
  const [l1, c1, l2, c2] = m.slice(1).map(Number);
  const start = offsetOf(doc.text, l1, c1, doc.path);
  const end = offsetOf(doc.text, l2, c2, doc.path);
  if (end < start) throw new CliError(`--range ends (${l2}:${c2}) before it starts (${l1}:${c1})`);
  return { start, end };
}

/** The nearest folder above the file that looks like a project root. */
function projectRoot(path: string): string {
  for (let d = dirname(path); ; d = dirname(d)) {
    if (['package.json', 'pyproject.toml', 'go.mod', 'Cargo.toml', '.git', 'setup.py'].some((m) => existsSync(join(d, m)))) return d;
    if (dirname(d) === d) return dirname(path);
  }
}

function print(outcome: RefactorOutcome & { elapsed_ms: number }, json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ kind: outcome.kind, title: outcome.title, edits: outcome.edits, create_files: outcome.createFiles, ...outcome.details, elapsed_ms: outcome.elapsed_ms }, null, 2));
    return;
  }
  console.log(`${outcome.title} (${outcome.elapsed_ms} ms)`);
  for (const f of outcome.createFiles) console.log(`create ${f}`);
  for (const e of outcome.edits) {
    const r = e.range;
    console.log(`--- ${e.file}:${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`);
    console.log(e.newText);
  }
}
