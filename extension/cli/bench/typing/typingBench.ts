/**
 * `lathe bench typing`: replays typing through the same request policy and completion
 * pipeline the editor uses, without VS Code. In each file a stretch of code is removed and then
 * typed back one character at a time with human-like pauses; every keystroke updates the
 * context engine incrementally and asks for a suggestion, cancelling the previous ask, as
 * VS Code does. Reports how long suggestions take and how often the model is skipped.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { intFlag, numberFlag, parseFlags, requireFlag } from '../../args';
import type { CliCommand } from '../../command';
import { createCompletionStack } from '../../completionStack';
import { CliError } from '../../errors';
import { systemClock } from '../../../core/completion/clock';
import type { CompletionDocument } from '../../../core/completion/context';
import { DEFAULT_COMPLETION_BEAMS, documentKey, type DocumentKey } from '../../../core/completion/pipeline';
import { CompletionPolicy } from '../../../core/completion/policy';
import { percentileSorted } from '../../../base/percentile';
import { languageIdForPath } from '../../../core/context/languages';
import { seededRandom } from '../../../core/common/rng';
import { readFileList } from '../fileList';
import { beamsFlag, copyFlag, fimOrderFlag, healFlag } from '../../modelFlags';
import { errorMessage } from '../../../base/errorText';

const HELP = `usage: lathe bench typing --files LIST [options] --json

  --files LIST    comma-separated source files (or a file listing them, one per line)
  --model DIR     model folder (default: the embedded lathe-code-mini)
  --chars N       characters typed per file (default 240)
  --pause MS      mean pause between keystrokes (default 90; pauses vary ±60% and
                  lengthen after line ends)
  --fim-order O   psm or spm (default: the model folder's preference)
  --heal on|off   token healing (default on, as in the editor)
  --beams N       beam search over a suggestion's first line with N beams (1: greedy;
                  default: the editor's, ${DEFAULT_COMPLETION_BEAMS})
  --copy on|off   prompt copy (default on, as in the editor)
  --seed S        seed for where typing starts and the pauses (default 1)
  --json          print one JSON object`;

/** Picks where to retype: the start of a line inside the file's middle half. */
function typingSpan(text: string, chars: number, rnd: () => number): { start: number; end: number } {
  const from = Math.floor(text.length * 0.25 + rnd() * text.length * 0.5);
  const lineStart = text.lastIndexOf('\n', from) + 1;
  const indentEnd = lineStart + (text.slice(lineStart).match(/^[ \t]*/)?.[0].length ?? 0);
  return { start: indentEnd, end: Math.min(text.length, indentEnd + chars) };
}

export const typingBench: CliCommand = {
  summary: 'replay typing through the completion policy and report suggestion latency',
  async run(args, signal) {
    const parsed = parseFlags(
      args,
      {
        files: { type: 'string' },
        model: { type: 'string' },
        chars: { type: 'string' },
        pause: { type: 'string' },
        seed: { type: 'string' },
        'fim-order': { type: 'string' },
        heal: { type: 'string' },
        beams: { type: 'string' },
        copy: { type: 'string' },
        json: { type: 'boolean' },
      },
      HELP,
    );
    if (!parsed) return 0;
    const v = parsed.values;
    const spec = requireFlag(v.files, 'files');
    const paths = readFileList(spec);
    const chars = intFlag(v.chars, 'chars', 240, 1);
    const pause = numberFlag(v.pause, 'pause', 90);
    const rnd = seededRandom(intFlag(v.seed, 'seed', 1));
    const root = process.cwd();

    const fimOrder = fimOrderFlag(v['fim-order']);
    const tokenHealing = healFlag(v.heal);
    const beams = beamsFlag(v.beams);
    const promptCopy = copyFlag(v.copy);
    const stack = await createCompletionStack({ modelDir: v.model, signal, fimOrder, tokenHealing, beams, promptCopy });
    let promptTokens = 0;
    let cachedTokens = 0;
    let fetches = 0;
    const policy = new CompletionPolicy<DocumentKey>(async (key, sig, onFirst) => {
      fetches++;
      const r = await stack.pipeline.complete(key.doc, sig, onFirst);
      promptTokens += r.promptTokens;
      cachedTokens += r.cachedTokens;
      return { text: r.completion, cut: r.cut };
    }, systemClock);

    const latencies: number[] = [];
    const sources: Record<string, number> = { model: 0, inflight: 0, cache: 0, 'typed-through': 0 };
    let keystrokes = 0;
    try {
      for (const [fileIndex, path] of paths.entries()) {
        let full: string;
        try {
          full = readFileSync(path, 'utf8');
        } catch (err) {
          throw new CliError(`cannot read ${path}: ${errorMessage(err)}`);
        }
        const { start, end } = typingSpan(full, chars, rnd);
        const uri = pathToFileURL(resolve(path)).href;
        const languageId = languageIdForPath(path);
        let version = 0;
        let text = full.slice(0, start) + full.slice(end);
        await stack.context?.openDocument({ uri, languageId, version, text });
        // Warm-up: load the model and fill the prefix cache once per file (not measured).
        if (fileIndex === 0) await stack.pipeline.complete({ uri, languageId, text, version, offset: start }, signal);

        let pending: AbortController | undefined;
        for (let i = start; i < end; i++) {
          signal.throwIfAborted();
          const ch = full[i];
          const offset = i;
          text = text.slice(0, offset) + ch + text.slice(offset);
          version++;
          await stack.context?.updateDocument({ uri, languageId, version, text }, [{ startOffset: offset, oldEndOffset: offset, newText: ch }]);
          policy.noteKeystroke();
          keystrokes++;
          pending?.abort(new Error('next keystroke'));
          const controller = new AbortController();
          pending = controller;
          const doc: CompletionDocument = { uri, languageId, text, version, offset: offset + 1, relativePath: relative(root, path) };
          policy.provide(documentKey(doc), controller.signal).then(
            (out) => {
              if (!out) return;
              latencies.push(out.latencyMs);
              sources[out.source]++;
            },
            () => undefined,
          );
          const jitter = 0.4 + rnd() * 1.2;
          await systemClock.sleep(pause * jitter * (ch === '\n' ? 3 : 1), signal);
        }
        // Let the last request finish before the next file.
        await systemClock.sleep(pause * 5, signal);
      }
    } finally {
      stack.dispose();
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const report = {
      files: paths.length,
      keystrokes,
      suggestions: latencies.length,
      suggestion_latency_p50_ms: percentileSorted(sorted, 0.5),
      suggestion_latency_p95_ms: percentileSorted(sorted, 0.95),
      p95_ms: percentileSorted(sorted, 0.95),
      requests: fetches,
      cache_hits: sources.cache,
      typed_through: sources['typed-through'],
      inflight_reuse: sources.inflight,
      prefix_reuse_ratio: promptTokens === 0 ? 0 : cachedTokens / promptTokens,
      mean_pause_ms: pause,
      fim_order: fimOrder ?? 'model default',
      token_healing: tokenHealing,
      beams: beams ?? DEFAULT_COMPLETION_BEAMS,
      prompt_copy: promptCopy,
    };
    console.log(v.json ? JSON.stringify(report, null, 2) : report);
    return 0;
  },
};
