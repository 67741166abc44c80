/** The context benchmark's workspace is deterministic and valid; the bench reports its fields. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { contextBench } from '../../../extension/cli/bench/context';
import { generateWorkspace } from '../../../extension/cli/bench/contextSource';
import { testEngine } from './helpers';

const { engine } = testEngine();
after(() => engine.dispose());

test('the generated 5,000-line file is deterministic and parses without errors', async () => {
  const a = generateWorkspace();
  assert.equal(a.main, generateWorkspace().main);
  assert.equal(a.main.split('\n').length - 1, 5_000);
  for (const [uri, text] of [['/bench/main.ts', a.main], ['/bench/lib.ts', a.lib]]) {
    const syntax = await engine.syntaxOf({ uri, languageId: 'typescript', version: 1, text });
    assert.ok(syntax);
    assert.equal(syntax.tree.rootNode.hasError, false, `${uri} parses cleanly`);
  }
});

test('the bench prints one JSON object with its percentiles', async () => {
  const out: string[] = [];
  const original = console.log;
  console.log = (...xs: unknown[]) => out.push(xs.map(String).join(' '));
  try {
    assert.equal(await contextBench.run(['--lines', '400', '--iterations', '5', '--json'], new AbortController().signal), 0);
  } finally {
    console.log = original;
  }
  const report = JSON.parse(out.join('\n')) as Record<string, unknown>;
  assert.equal(report.bench, 'context');
  assert.equal(report.iterations, 5);
  for (const key of ['p50_ms', 'p95_ms', 'full_parse_ms', 'incremental_parse_p50_ms', 'keystroke_p95_ms', 'cpu_p95_ms']) {
    assert.equal(typeof report[key], 'number', key);
    assert.ok(Number.isFinite(report[key]), key);
  }
  assert.ok((report.p95_ms as number) >= (report.p50_ms as number));
});
