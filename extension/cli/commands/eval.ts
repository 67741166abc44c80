/**
 * `lathe eval FILE.prompty --data DATA.jsonl|.csv [--model DIR] [--json]`: runs the prompt on
 * every dataset row, checks its assertions, saves the run in `<name>.runs/` next to the prompt
 * and compares it with the previous run. Exits 1 when the pass rate is below --min-pass-rate (a
 * run with no checks has none). A row is checked by its assertions, else by its `expected` field.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Engine } from '../../core/engine/client/engine';
import { rowStatus, type RowStatus } from '../../core/promptlab/eval/evaluate';
import { evaluateAndRecord } from '../../core/promptlab/eval/record';
import { parsePrompty } from '../../core/promptlab/prompty/parse';
import { numberFlag, parseFlags, requireFlag } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';
import { MODEL_FLAGS, MODEL_HELP, openEngine, parameterOverrides, userError } from './prompt';

const STATUS_TEXT: Readonly<Record<RowStatus, string>> = { pass: 'pass', fail: 'fail', error: 'error', unchecked: 'no checks' };

const HELP = `usage: lathe eval FILE.prompty --data DATA.jsonl|DATA.csv [options]

  --data FILE          dataset: JSON Lines objects or CSV with a header row
  --compare RUN.jsonl  compare with this earlier run (default: the newest run of the prompt)
  --min-pass-rate R    exit 1 when the pass rate is below R (0..1, default 0)
${MODEL_HELP}`;

export const evalCommand: CliCommand = {
  summary: 'evaluate a .prompty over a JSONL/CSV dataset with assertions and metrics',
  async run(args, signal) {
    const parsed = parseFlags(args, { ...MODEL_FLAGS, data: { type: 'string' }, compare: { type: 'string' }, 'min-pass-rate': { type: 'string' } }, HELP);
    if (!parsed) return 0;
    const v = parsed.values;
    const file = parsed.positionals[0];
    if (!file) throw new CliError(`a .prompty file is required\n\n${HELP}`);
    const minPassRate = numberFlag(v['min-pass-rate'], 'min-pass-rate', 0);
    const datasetPath = resolve(requireFlag(v.data, 'data'));
    let engine: Engine | undefined;
    try {
      const path = resolve(file);
      const prompty = parsePrompty(await readFile(path, 'utf8'), path);
      const spec = { ...prompty.spec, model: { ...prompty.spec.model, parameters: { ...prompty.spec.model.parameters, ...parameterOverrides(v) } } };
      engine = openEngine(v);
      const { run, runFile, comparison } = await evaluateAndRecord({
        generator: engine,
        file: prompty,
        spec,
        datasetPath,
        compareWith: v.compare && resolve(v.compare),
        signal,
        onRow: (row, done, total) => {
          if (row.error) console.error(row.error);
          if (!v.json) console.error(`[${done}/${total}] ${STATUS_TEXT[rowStatus(row)]}`);
        },
      });
      if (v.json) {
        console.log(JSON.stringify({ runFile, ...run, comparison }, null, 2));
      } else {
        const passed = run.rows.filter((r) => rowStatus(r) === 'pass').length;
        const unchecked = run.rows.length - run.checkedRows;
        console.log(
          run.passRate === null
            ? `no checks: none of the ${run.rows.length} rows had an assertion or an 'expected' field · saved ${runFile}`
            : `pass rate ${(run.passRate * 100).toFixed(1)}% (${passed}/${run.checkedRows}${unchecked > 0 ? `; ${unchecked} rows not checked` : ''}) · saved ${runFile}`,
        );
        for (const a of run.byAssertion) console.log(`  ${a.type.padEnd(12)} ${(a.passRate * 100).toFixed(1)}%${a.meanScore !== undefined ? `  mean ${a.meanScore.toFixed(3)}` : ''}`);
        if (comparison) console.log(`vs ${comparison.against}: ${comparison.improved} improved, ${comparison.regressed} regressed, ${comparison.changedOutputs} outputs changed`);
      }
      // A run with no checks proves nothing: it fails a required pass rate.
      return (run.passRate ?? 0) < minPassRate ? 1 : 0;
    } catch (err) {
      throw userError(err);
    } finally {
      engine?.dispose();
    }
  },
};
