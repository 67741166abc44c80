/**
 * `lathe complete`: one inline completion at a file position, through the same pipeline the
 * editor uses (context engine, FIM template, post-processing).
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { languageIdForPath } from '../../core/context/languages';
import { DTYPE_CHOICES } from '../../core/models/onnxFiles';
import { intFlag, parseFlags, requireFlag } from '../args';
import type { CliCommand } from '../command';
import { createCompletionStack } from '../completionStack';
import { CliError } from '../errors';
import { dtypeFlag } from '../modelFlags';
import { errorMessage } from '../../base/errorText';

const HELP = `usage: lathe complete --file F --line L --col C [options]

  --file F          source file
  --line L          1-based line of the cursor
  --col C           1-based column of the cursor (characters)
  --model DIR       model folder (default: the embedded lathe-code-mini)
  --root DIR        index definitions under DIR first (default: the file's folder)
  --multiline MODE  auto (default), always or never
  --dtype D         ${DTYPE_CHOICES.join('|')} (default auto)
  --json            print completion, ttft_ms, total_ms, prompt_tokens, context_sources`;

/** Offset of 1-based line/column in `text`, or an error naming what is out of range. */
export function offsetOf(text: string, line: number, col: number, file: string): number {
  const lines = text.split('\n');
  if (line < 1 || line > lines.length) throw new CliError(`${file}: --line ${line} is outside 1..${lines.length}`);
  const len = lines[line - 1].replace(/\r$/, '').length;
  if (col < 1 || col > len + 1) throw new CliError(`${file}:${line}: --col ${col} is outside 1..${len + 1}`);
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += lines[i].length + 1;
  return offset + col - 1;
}

export const completeCommand: CliCommand = {
  summary: 'complete code at a file position with the local model',
  async run(args, signal) {
    const parsed = parseFlags(
      args,
      {
        file: { type: 'string' },
        line: { type: 'string' },
        col: { type: 'string' },
        model: { type: 'string' },
        root: { type: 'string' },
        multiline: { type: 'string' },
        dtype: { type: 'string' },
        json: { type: 'boolean' },
      },
      HELP,
    );
    if (!parsed) return 0;
    const v = parsed.values;
    const file = resolve(requireFlag(v.file, 'file'));
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${errorMessage(err)}`);
    }
    const offset = offsetOf(text, intFlag(v.line, 'line', 0, 1), intFlag(v.col, 'col', 0, 1), file);
    const multiline = (v.multiline ?? 'auto') as 'auto' | 'always' | 'never';
    if (!['auto', 'always', 'never'].includes(multiline)) throw new CliError('--multiline must be auto, always or never');
    const dtype = dtypeFlag(v.dtype);
    const root = resolve(v.root ?? dirname(file));
    const stack = await createCompletionStack({ modelDir: v.model, dtype, indexRoot: root, multiline, signal });
    try {
      const r = await stack.pipeline.complete(
        { uri: pathToFileURL(file).href, languageId: languageIdForPath(file), text, version: 1, offset, relativePath: relative(root, file) },
        signal,
      );
      if (v.json) {
        console.log(
          JSON.stringify(
            {
              completion: r.completion,
              multiline: r.multiline,
              ttft_ms: r.ttftMs,
              total_ms: r.totalMs,
              context_ms: r.contextMs,
              prompt_tokens: r.promptTokens,
              cached_tokens: r.cachedTokens,
              context_sources: r.sources,
            },
            null,
            2,
          ),
        );
      } else {
        process.stdout.write(`${r.completion}\n`);
      }
      return 0;
    } finally {
      stack.dispose();
    }
  },
};
