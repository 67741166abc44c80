/**
 * `lathe bench refactor`: Generate Doc Comment and Extract Function end to end (tree-sitter,
 * the model filling the slots, the parse check) at seeded positions of real files. Prints the
 * share of doc comments that parse and document every parameter in order, how many extractions
 * were attempted, refused (and why), parse-clean and — TypeScript files — type-check clean (no
 * diagnostic that the file did not have before, TypeScript's own checker as `tsc --noEmit` runs
 * it), the share of the model's name answers that were legal identifiers, and mean times.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { intFlag, parseFlags, requireFlag } from '../../args';
import type { CliCommand } from '../../command';
import { dtypeFlag, modelDirFlag } from '../../modelFlags';
import { createRefactorStack } from '../../refactor/refactorStack';
import { languageIdForPath } from '../../../core/context/languages';
import { documentedParams, planDocComment } from '../../../core/refactor/docComment';
import { parseErrors } from '../../../core/refactor/editCheck';
import { isRefactorError } from '../../../core/refactor/errors';
import type { RefactorDocument } from '../../../core/refactor/service';
import { applyTextEdits, rangeOffsets } from '../../../core/refactor/textEdits';
import { LineIndex } from '../../../core/context/lineIndex';
import { readFileList } from '../fileList';
import { docCandidates, extractBlocks, pickSamples, seededRandom, statementRun, type Extent } from './refactorSamples';

const HELP = `usage: lathe bench refactor --files LIST [options] --json

  --files LIST   comma-separated source files, or a file listing them (e.g. models/train/heldout_files.txt)
  --samples N    doc comments and extractions each (default 100)
  --seed S       sampling seed (default 1)
  --model DIR    model folder (default: the embedded lathe-code-mini)
  --dtype D      weight variant (default auto)
  --json         print JSON (always JSON; the flag is accepted for symmetry)`;

const TARGETS = { docstring_parse_clean: 0.98, docstring_params_covered: 0.95, extract_typecheck_clean: 0.95 };

interface Tally {
  n: number;
  ok: number;
}
const ratio = (t: Tally) => (t.n ? t.ok / t.n : null);

export const refactorBench: CliCommand = {
  summary: 'doc comments and extract function at seeded positions: parse-clean, params covered, type-check clean',
  async run(args, signal) {
    const parsed = parseFlags(args, { files: { type: 'string' }, samples: { type: 'string' }, seed: { type: 'string' }, model: { type: 'string' }, dtype: { type: 'string' }, json: { type: 'boolean' } }, HELP);
    if (!parsed) return 0;
    const v = parsed.values;
    const files = readFileList(requireFlag(v.files, 'files')).map((f) => resolve(f));
    const n = intFlag(v.samples, 'samples', 100, 1);
    const seed = intFlag(v.seed, 'seed', 1);
    const stack = await createRefactorStack({ modelDir: modelDirFlag(v.model), dtype: dtypeFlag(v.dtype) });
    try {
      // Candidates per file, from one parse each.
      const docs = new Map<string, RefactorDocument>();
      const docPools: Array<{ file: string; items: number[] }> = [];
      const extractPools: Array<{ file: string; items: Extent[][] }> = [];
      for (const path of files) {
        let text: string;
        try {
          text = readFileSync(path, 'utf8');
        } catch {
          continue;
        }
        const doc: RefactorDocument = { uri: pathToFileURL(path).href, path, languageId: languageIdForPath(path), version: 1, text };
        const syntax = await stack.context.syntaxOf(doc);
        if (!syntax) continue;
        docs.set(path, doc);
        docPools.push({ file: path, items: docCandidates(syntax) });
        extractPools.push({ file: path, items: extractBlocks(syntax) });
      }
      const rnd = seededRandom(seed);
      const docSamples = pickSamples(docPools, n, rnd);
      const extractSamples = pickSamples(extractPools, n, rnd).map((s) => ({ file: s.file, ...statementRun(s.item, rnd) }));

      const byLang: Record<string, { doc: Tally; params: Tally; extract: Tally }> = {};
      const lang = (file: string) => (byLang[docs.get(file)!.languageId] ??= { doc: { n: 0, ok: 0 }, params: { n: 0, ok: 0 }, extract: { n: 0, ok: 0 } });
      const docClean: Tally = { n: 0, ok: 0 };
      let paramsSum = 0;
      let paramsN = 0;
      const docRefusals: Record<string, number> = {};
      let docMs = 0;
      for (const s of docSamples) {
        signal.throwIfAborted();
        const doc = docs.get(s.file)!;
        const t0 = performance.now();
        docClean.n++;
        lang(s.file).doc.n++;
        try {
          const outcome = await stack.service.docComment(doc, s.item, { seed, signal });
          docMs += performance.now() - t0;
          const syntax = (await stack.context.syntaxOf(doc))!;
          const plan = planDocComment(syntax, s.item);
          const lines = new LineIndex(doc.text);
          const edits = outcome.edits.map((e) => ({ ...rangeOffsets(lines, e.range), newText: e.newText }));
          const after = applyTextEdits(doc.text, edits);
          if (parseErrors(syntax.grammar.parser, after).count <= parseErrors(syntax.grammar.parser, doc.text).count) {
            docClean.ok++;
            lang(s.file).doc.ok++;
          }
          const expected = plan.params.map((p) => p.name);
          const style = plan.skeleton.style;
          if (expected.length > 0 && plan.definition.kind !== 'class' && style !== 'go' && style !== 'shell') {
            const got = documentedParams(edits.map((e) => e.newText).join('\n'), style);
            const covered = inOrder(expected, got) / expected.length;
            paramsSum += covered;
            paramsN++;
            lang(s.file).params.n++;
            lang(s.file).params.ok += covered;
          }
        } catch (err) {
          docMs += performance.now() - t0;
          if (!isRefactorError(err)) throw err;
          docRefusals[err.reason] = (docRefusals[err.reason] ?? 0) + 1;
        }
      }

      let attempted = 0;
      let refused = 0;
      const refusals: Record<string, number> = {};
      const refusalExamples: string[] = [];
      const extractClean: Tally = { n: 0, ok: 0 };
      const typecheck: Tally = { n: 0, ok: 0 };
      const newDiagnostics: string[] = [];
      let rawNames = 0;
      let legalNames = 0;
      let modelTop = 0;
      let extractMs = 0;
      for (const s of extractSamples) {
        signal.throwIfAborted();
        const doc = docs.get(s.file)!;
        attempted++;
        lang(s.file).extract.n++;
        const t0 = performance.now();
        try {
          const pending = await stack.service.extract(doc, s.start, s.end, { seed, signal });
          rawNames += pending.rawNames;
          legalNames += pending.legalNames;
          if (pending.names[0]?.source === 'model') modelTop++;
          const outcome = pending.finish(pending.names[0].name);
          extractMs += performance.now() - t0;
          const lines = new LineIndex(doc.text);
          const after = applyTextEdits(doc.text, outcome.edits.map((e) => ({ ...rangeOffsets(lines, e.range), newText: e.newText })));
          const syntax = (await stack.context.syntaxOf(doc))!;
          extractClean.n++;
          if (parseErrors(syntax.grammar.parser, after).count <= parseErrors(syntax.grammar.parser, doc.text).count) extractClean.ok++;
          lang(s.file).extract.ok++;
          if (stack.typescript && /\.(m|c)?tsx?$/.test(s.file)) {
            typecheck.n++;
            const added = newOnly(stack.typescript.diagnostics(s.file, doc.text), stack.typescript.diagnostics(s.file, after));
            if (added.length === 0) typecheck.ok++;
            else {
              // The selection as `lathe refactor extract --range` takes it (1-based), to reproduce.
              const a = lines.positionAt(s.start);
              const b = lines.positionAt(s.end);
              newDiagnostics.push(`${s.file} --range ${a.line + 1}:${a.character + 1}-${b.line + 1}:${b.character + 1} --name ${String(outcome.details.name)}: ${added[0]}`);
            }
          }
        } catch (err) {
          extractMs += performance.now() - t0;
          if (!isRefactorError(err)) throw err;
          refused++;
          refusals[err.reason] = (refusals[err.reason] ?? 0) + 1;
          if (refusalExamples.length < 12) refusalExamples.push(`${err.reason}: ${err.message}`);
        }
      }

      const paramsCovered = paramsN ? paramsSum / paramsN : null;
      const result = {
        files: docs.size,
        samples: n,
        seed,
        docstring_attempted: docClean.n,
        docstring_refused: docRefusals,
        docstring_parse_clean: ratio(docClean),
        docstring_params_covered: paramsCovered,
        docstring_params_samples: paramsN,
        extract_attempted: attempted,
        extract_refused: refused,
        extract_refusals: refusals,
        extract_refusal_examples: refusalExamples,
        extract_parse_clean: ratio(extractClean),
        extract_typecheck_samples: typecheck.n,
        extract_typecheck_clean: ratio(typecheck),
        extract_new_diagnostics: newDiagnostics.slice(0, 20),
        name_legal: rawNames ? legalNames / rawNames : null,
        name_top_from_model: extractClean.n ? modelTop / extractClean.n : null,
        mean_ms: (docMs + extractMs) / Math.max(1, docClean.n + attempted),
        docstring_mean_ms: docMs / Math.max(1, docClean.n),
        extract_mean_ms: extractMs / Math.max(1, attempted),
        by_language: Object.fromEntries(
          Object.entries(byLang).map(([k, t]) => [k, { docstring: t.doc.n, docstring_parse_clean: ratio(t.doc), docstring_params_covered: t.params.n ? t.params.ok / t.params.n : null, extract: t.extract.n, extract_done: t.extract.ok }]),
        ),
        targets: TARGETS,
        meets: {
          docstring_parse_clean: (ratio(docClean) ?? 0) >= TARGETS.docstring_parse_clean,
          docstring_params_covered: (paramsCovered ?? 0) >= TARGETS.docstring_params_covered,
          extract_typecheck_clean: typecheck.n === 0 ? null : (ratio(typecheck) ?? 0) >= TARGETS.extract_typecheck_clean,
        },
      };
      console.log(JSON.stringify(result, null, 2));
      return 0;
    } finally {
      stack.dispose();
    }
  },
};

/** How many of `expected` appear in `got` in the same order (longest common subsequence). */
function inOrder(expected: readonly string[], got: readonly string[]): number {
  const norm = (s: string) => s.replace(/^[*$&]+/, '');
  const a = expected.map(norm);
  const b = got.map(norm);
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) dp[i][j] = a[i - 1] === b[j - 1] ? dp[i - 1][j - 1] + 1 : Math.max(dp[i - 1][j], dp[i][j - 1]);
  return dp[a.length][b.length];
}

/** Diagnostics of `after` that `before` did not have (as a multiset; positions ignored). */
function newOnly(before: readonly string[], after: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const d of before) left.set(d, (left.get(d) ?? 0) + 1);
  const out: string[] = [];
  for (const d of after) {
    const k = left.get(d) ?? 0;
    if (k > 0) left.set(d, k - 1);
    else out.push(d);
  }
  return out;
}
