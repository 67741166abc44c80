/**
 * .prompty files: fuzzed front matter (types, anchors and aliases, deep nesting, `${file:…}`
 * references that climb out of the workspace, follow symlinks or name files that are not
 * JSON) and fuzzed template bodies (huge and nested loops, recursion, unknown tags, unclosed
 * blocks, odd filters). Parsing, compiling and rendering may fail only with a PromptLabError
 * (anything else is a crash), within the render limits (a hang otherwise), and no error may
 * show the content of a file it refused (a leak).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../../../extension/base/errorText';
import { PromptLabError } from '../../../extension/core/promptlab/errors';
import { PromptLab } from '../../../extension/core/promptlab/lab';
import { resolveValues } from '../../../extension/core/promptlab/prompt';
import { parsePrompty } from '../../../extension/core/promptlab/prompty/parse';
import { compileTemplate } from '../../../extension/core/promptlab/template/render';
import { ScriptedGenerator } from '../../unit/helpers/scriptedGenerator';
import type { Gen } from '../gen';
import type { Outcome } from '../outcome';

export interface PromptyInput {
  readonly text: string;
}

const SECRET = 'SECRET-7f3a-root:x:0:0';

/** A workspace with a sample inside, secrets outside, and symlinks that point out. */
function workspace(): string {
  const base = mkdtempSync(join(tmpdir(), 'lathe-fuzz-prompty-'));
  const ws = join(base, 'ws');
  mkdirSync(join(ws, 'prompts'), { recursive: true });
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(ws, 'prompts', 'sample.json'), '{"q": "inside", "n": 3}');
  writeFileSync(join(ws, 'prompts', 'notjson.json'), `${SECRET} not json`);
  writeFileSync(join(base, 'outside', 'secret.json'), `{"password": "${SECRET}"}`);
  writeFileSync(join(base, 'outside', 'passwd'), `${SECRET}\n`);
  symlinkSync(join(base, 'outside', 'secret.json'), join(ws, 'prompts', 'link.json'));
  symlinkSync(join(base, 'outside'), join(ws, 'prompts', 'out'));
  return ws;
}

let ws: string | undefined;

const REFS = ['sample.json', 'notjson.json', 'missing.json', '../../outside/secret.json', '../../outside/passwd', 'link.json', 'out/secret.json', 'out/passwd', '/etc/passwd', '/proc/self/environ', '', '../prompts/sample.json', 'sample.json/..', '.', '/'];

function frontMatter(g: Gen): string {
  const parts: string[] = [];
  if (g.chance(0.7)) parts.push(`name: ${g.pick(['p', '"quoted"', '[1, 2]', '{a: 1}', '&a x', '*a', '!!binary eA=='])}`);
  if (g.chance(0.6)) parts.push(`model:\n  api: ${g.pick(['chat', 'completion', 'other', '1'])}\n  parameters:\n    max_tokens: ${g.pick(['8', '-1', '1e9', 'x', '[1]'])}\n    stop: ${g.pick(['"\\n"', '[a, b]', '3', '{}'])}`);
  if (g.chance(0.6)) parts.push(`inputs:\n  q:\n    type: ${g.pick(['string', 'number', 'object', 'array', 'bogus'])}\n    default: ${g.pick(['hi', '1', '[1,2]', '{a: b}', '*nowhere', '~'])}`);
  if (g.chance(0.5)) parts.push(`sample: ${g.chance(0.7) ? `\${file:${g.pick(REFS)}}` : g.pick(['{q: x}', '[1]', 'str', '*s'])}`);
  if (g.chance(0.15)) parts.push(`deep: ${'['.repeat(g.pick([10, 600, 3000]))}${']'.repeat(g.pick([10, 600, 3000]))}`);
  if (g.chance(0.1)) parts.push('a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]');
  if (g.chance(0.1)) parts.push('self: &s\n  again: *s');
  if (g.chance(0.1)) parts.push(`lathe:\n  cot:\n    strategy: ${g.pick(['self-consistency', 'least-to-most', 'nope'])}\n    samples: ${g.pick(['3', '0', '1000'])}`);
  return parts.join('\n');
}

function body(g: Gen): string {
  const pieces = [
    'system:\nYou are {{ role | default("helpful") }}.\nuser:\n{{ q }}',
    '{% for i in range(100000000) %}x{% endfor %}',
    '{% for i in range(1000) %}{% for j in range(1000) %}{{ i * j }}{% endfor %}{% endfor %}',
    '{% set ns = namespace(s="ab") %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}',
    '{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}',
    '{{ ' + '('.repeat(g.pick([10, 2000])) + '1' + ')'.repeat(g.pick([10, 2000])) + ' }}',
    '{% if x %}{% for y in z %}{{ y }}{% endif %}',
    '{{ q | nosuchfilter }} {{ q.__class__ }} {{ range(10) | join(",") }}',
    '{% frobnicate %}', '{{ unclosed', '{% raw %}{{ x }}{% endraw %}', '{{ "x" * 100000000 }}', '{{ raise_exception("boom") }}',
    '{% for k, v in n.items() %}{{ k }}{% else %}none{% endfor %}', '{{ strftime_now("%Y-%m") }}',
  ];
  const n = 1 + g.int(4);
  let out = '';
  for (let i = 0; i < n; i++) out += `${g.chance(0.8) ? g.pick(pieces) : g.text(60)}\n`;
  return out;
}

export function generate(g: Gen): PromptyInput {
  const text = `${g.chance(0.85) ? `---\n${frontMatter(g)}\n---\n` : ''}${body(g)}`;
  return { text: g.chance(0.15) ? g.mutate(text).toString('utf8') : text };
}

export async function run(input: PromptyInput): Promise<Outcome> {
  ws ??= workspace();
  const path = join(ws, 'prompts', 'p.prompty');
  let leaked = false;
  const check = (err: unknown): Outcome | undefined => {
    if (errorMessage(err).includes(SECRET)) leaked = true;
    return err instanceof PromptLabError ? undefined : { ok: false, crash: `${err instanceof Error ? err.name : typeof err}: ${errorMessage(err).slice(0, 300)}` };
  };
  try {
    const file = parsePrompty(input.text, path, { roots: [ws] });
    const template = compileTemplate(file.spec.body, { file: path, line: file.bodyLine });
    template.render(resolveValues(file.spec, {}));
  } catch (err) {
    const crash = check(err);
    if (crash) return crash;
  }
  // The same file through Prompt Lab: open (front matter, chain-of-thought config) and analyze.
  try {
    const generator = new ScriptedGenerator(['ok']);
    const lab = new PromptLab(() => generator, { roots: () => [ws!] });
    const doc = lab.open(input.text, path, 'p.prompty');
    const analysis = await lab.analyze({ body: doc.body, parameters: doc.parameters, values: doc.values });
    if (analysis.problem?.message.includes(SECRET)) leaked = true;
  } catch (err) {
    const crash = check(err);
    if (crash) return crash;
  }
  return { ok: true, leaked };
}
