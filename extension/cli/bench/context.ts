/**
 * `lathe bench context`: latency of context assembly on the typing path. A 5,000-line
 * TypeScript file (generated deterministically) is parsed once; then, at seeded random
 * positions, a one-character edit is applied (incremental reparse) and the context assembled
 * there. Reports p50/p95 of the assembly (after one warm-up), the incremental reparse and the
 * two together (keystroke), and a full parse for comparison.
 */
import { join } from 'node:path';
import { parseFlags, intFlag } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';
import { createLogger, stderrSink } from '../../core/common/logger';
import { ContextEngine, locateAssets } from '../../core/context/index';
import type { TokenCounter } from '../../core/models/tokenCounter';
import { readModelFolder } from '../../core/models/folder';
import { approximateTokenCounter } from '../../core/models/tokenCounter';
import { seededRandom } from '../../core/common/rng';
import { generateWorkspace } from './contextSource';
import { percentileSorted } from '../../base/percentile';

const HELP = `usage: lathe bench context [--iterations N] [--lines N] [--budget N] [--model DIR] [--json]

Applies one-character edits at random positions of a generated file (incremental reparse) and
assembles context after each; prints p50_ms/p95_ms of the assembly (after one warm-up), the
incremental reparse and keystroke (both) percentiles, and full_parse_ms.`;

const FLAGS = {
  iterations: { type: 'string' },
  lines: { type: 'string' },
  budget: { type: 'string' },
  model: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export const contextBench: CliCommand = {
  summary: 'context assembly latency after one-char edits in a 5,000-line file',
  async run(args) {
    const flags = parseFlags(args, FLAGS, HELP);
    if (!flags) return 0;
    const v = flags.values;
    const iterations = intFlag(v.iterations, 'iterations', 200, 1);
    const lineCount = intFlag(v.lines, 'lines', 5_000, 10);
    const budget = intFlag(v.budget, 'budget', 1536, 16);
    const seed = intFlag(v.seed, 'seed', 7);
    const counter: TokenCounter = v.model ? readModelFolder(v.model).tokenCounter() : approximateTokenCounter;

    const root = '/bench';
    const ws = generateWorkspace(lineCount);
    const engine = new ContextEngine({ assets: locateAssets(__dirname), log: createLogger(stderrSink('warn'), 'bench'), workspaceRoot: root });
    try {
      const libUri = join(root, 'lib.ts');
      const uri = join(root, 'main.ts');
      await engine.openDocument({ uri: libUri, languageId: 'typescript', version: 1, text: ws.lib });
      let doc = { uri, languageId: 'typescript', version: 1, text: ws.main };
      await engine.openDocument(doc);
      const grammar = await engine.parsers.grammarFor('typescript');
      if (!grammar) throw new CliError('the TypeScript grammar did not load (see the log above)', 1);

      const fullParses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        const tree = grammar.parser.parse(doc.text);
        fullParses.push(performance.now() - t);
        tree?.delete();
      }
      fullParses.sort((a, b) => a - b);

      const rand = seededRandom(seed);
      const randomOffset = (text: string) => {
        const lines = text.split('\n');
        const line = Math.floor(rand() * lines.length);
        let offset = 0;
        for (let l = 0; l < line; l++) offset += lines[l].length + 1;
        return offset + Math.floor(rand() * (lines[line].length + 1));
      };

      const keystroke: number[] = [];
      const reparse: number[] = [];
      const assembly: number[] = [];
      const assemblyCpu: number[] = [];
      let tokens = 0;
      const pristine = doc.text;
      for (let i = 0; i <= iterations; i++) {
        // A one-character edit on the pristine file (incremental reparse), context assembled
        // right after it; then the edit is undone (untimed) so errors never accumulate.
        const at = randomOffset(pristine);
        const edited = { ...doc, version: doc.version + 1, text: `${pristine.slice(0, at)}x${pristine.slice(at)}` };
        const t0 = performance.now();
        await engine.updateDocument(edited, [{ startOffset: at, oldEndOffset: at, newText: 'x' }]);
        const t1 = performance.now();
        const cpu = process.cpuUsage();
        const result = await engine.assemble({ doc: edited, offset: at + 1, counter, budget: { maxTokens: budget } });
        const t2 = performance.now();
        const used = process.cpuUsage(cpu);
        doc = { ...edited, version: edited.version + 1, text: pristine };
        await engine.updateDocument(doc, [{ startOffset: at, oldEndOffset: at + 1, newText: '' }]);
        if (i === 0) continue; // warm-up
        reparse.push(t1 - t0);
        assembly.push(t2 - t1);
        assemblyCpu.push((used.user + used.system) / 1000);
        keystroke.push(t2 - t0);
        tokens += result.tokens.total;
      }
      for (const xs of [keystroke, reparse, assembly, assemblyCpu]) xs.sort((a, b) => a - b);
      const report = {
        bench: 'context',
        lines: lineCount,
        chars: pristine.length,
        iterations,
        budget_tokens: budget,
        counter: v.model ? 'model' : 'approximate',
        // Assembly at the edited position, after the edit's incremental reparse.
        p50_ms: round(percentileSorted(assembly, 0.5)),
        p95_ms: round(percentileSorted(assembly, 0.95)),
        max_ms: round(assembly[assembly.length - 1]),
        // CPU time of the assembly: what it costs when the machine is shared and wall time waits.
        cpu_p50_ms: round(percentileSorted(assemblyCpu, 0.5)),
        cpu_p95_ms: round(percentileSorted(assemblyCpu, 0.95)),
        incremental_parse_p50_ms: round(percentileSorted(reparse, 0.5)),
        incremental_parse_p95_ms: round(percentileSorted(reparse, 0.95)),
        keystroke_p50_ms: round(percentileSorted(keystroke, 0.5)),
        keystroke_p95_ms: round(percentileSorted(keystroke, 0.95)),
        full_parse_ms: round(percentileSorted(fullParses, 0.5)),
        mean_prompt_tokens: Math.round(tokens / iterations),
      };
      if (v.json) console.log(JSON.stringify(report));
      else console.log(Object.entries(report).map(([k, x]) => `${k}: ${x}`).join('\n'));
      return 0;
    } finally {
      engine.dispose();
    }
  },
};
