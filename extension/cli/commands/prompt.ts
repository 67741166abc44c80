/**
 * `lathe prompt run FILE.prompty --var k=v [--model DIR] [--json]`: renders a .prompty with
 * the given inputs and runs it on the local engine (by its chain-of-thought strategy when it
 * has one). Streams the output, or prints one JSON object with --json.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { createLogger, stderrSink } from '../../core/common/logger';
import { createEngine, type Engine } from '../../core/engine/client/engine';
import { EngineError } from '../../core/engine/shared/errors';
import { DTYPE_CHOICES } from '../../core/models/onnxFiles';
import { PromptLabError } from '../../core/promptlab/errors';
import { PromptLab } from '../../core/promptlab/lab';
import type { PromptParameters } from '../../core/promptlab/prompty/types';
import { intFlag, parseFlags, type FlagSpec } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';
import { dtypeFlag, modelDirFlag } from '../modelFlags';
import { SAMPLING_FLAGS, SAMPLING_HELP, samplingFromFlags } from '../samplingFlags';


/** Flags shared by `prompt run` and `eval`. */
export const MODEL_FLAGS = {
  model: { type: 'string' },
  dtype: { type: 'string' },
  threads: { type: 'string' },
  ...SAMPLING_FLAGS,
  verbose: { type: 'boolean' },
  json: { type: 'boolean' },
} as const satisfies FlagSpec;

export const MODEL_HELP = `  --model DIR          model folder (default: the embedded lathe-code-mini)
  --dtype D            ${DTYPE_CHOICES.join('|')} (default auto)
  --threads N          intra-op threads (default: cores - 1)
${SAMPLING_HELP}
                       (each overrides the prompt's own parameter)
  --verbose            engine logs on stderr
  --json               print one JSON object`;

type ModelFlagValues = { [K in keyof typeof MODEL_FLAGS]?: (typeof MODEL_FLAGS)[K] extends { multiple: true } ? string[] : (typeof MODEL_FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

export function openEngine(v: ModelFlagValues): Engine {
  const dtype = dtypeFlag(v.dtype);
  return createEngine({
    modelDir: modelDirFlag(v.model),
    dtype,
    threads: intFlag(v.threads, 'threads', 0),
    logger: createLogger(stderrSink(v.verbose ? 'info' : 'warn'), 'engine'),
  });
}

export function parameterOverrides(v: ModelFlagValues): PromptParameters {
  const { repetitionPenalty, ...parameters } = samplingFromFlags(v);
  if (repetitionPenalty !== undefined) throw new CliError('--repetition-penalty is not a parameter of .prompty files (use lathe generate for it)');
  return parameters;
}

/** Prompt Lab and engine errors are one-line user errors. */
export function userError(err: unknown): unknown {
  if (err instanceof PromptLabError || err instanceof EngineError) return new CliError(err.message, 1);
  if (err instanceof Error && (err as NodeJS.ErrnoException).code === 'ENOENT') return new CliError(err.message, 1);
  return err;
}

export function parseVars(pairs: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--var expects NAME=VALUE, got '${pair}'`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

const HELP = `usage: lathe prompt run FILE.prompty [--var NAME=VALUE ...] [options]

  --var NAME=VALUE     an input value (repeatable); JSON for array/object inputs
${MODEL_HELP}`;

export const promptCommand: CliCommand = {
  summary: 'run a .prompty file on the local model (prompt run FILE --var k=v --json)',
  async run(args, signal) {
    const [sub, ...rest] = args;
    if (sub !== 'run') {
      console.log(HELP);
      return sub === undefined || sub === '--help' || sub === '-h' ? (sub ? 0 : 2) : 2;
    }
    const parsed = parseFlags(rest, { ...MODEL_FLAGS, var: { type: 'string', multiple: true } }, HELP);
    if (!parsed) return 0;
    const v = parsed.values;
    const file = parsed.positionals[0];
    if (!file) throw new CliError(`a .prompty file is required\n\n${HELP}`);
    const path = resolve(file);
    let engine: Engine | undefined;
    try {
      const text = await readFile(path, 'utf8');
      const model = openEngine(v);
      engine = model;
      const runner = new PromptLab(() => model);
      const doc = runner.open(text, path, basename(path));
      const draft = { body: doc.body, parameters: { ...doc.parameters, ...parameterOverrides(v) }, values: { ...doc.values, ...parseVars(v.var) } };
      const messages = await runner.messages(draft, signal);
      const summary = await runner.run(draft, (t) => {
        if (!v.json) process.stdout.write(t.text);
      }, signal);
      if (v.json) {
        console.log(JSON.stringify({ prompt: path, messages, ...summary }, null, 2));
      } else {
        process.stdout.write('\n');
        if (summary.answer !== undefined) console.error(`answer: ${summary.answer}${summary.vote ? ` (${summary.vote.count}/${summary.vote.total} agree)` : ''}`);
      }
      return summary.finishReason === 'abort' ? 130 : 0;
    } catch (err) {
      throw userError(err);
    } finally {
      engine?.dispose();
    }
  },
};
