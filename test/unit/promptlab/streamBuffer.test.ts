import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamBuffer, type FlushPlan } from '../../../webview/components/streamBuffer';

type Tok = { text: string };
const toks = (...texts: string[]): Tok[] => texts.map((text) => ({ text }));

function setup(maxSpans: number) {
  const frames: Array<() => void> = [];
  const plans: Array<FlushPlan<Tok>> = [];
  const buffer = new StreamBuffer<Tok>(maxSpans, (f) => frames.push(f), (p) => plans.push(p));
  return { buffer, frames, plans };
}

test('a burst of tokens costs one scheduled frame and one DOM write', () => {
  const { buffer, frames, plans } = setup(100);
  for (let i = 0; i < 50; i++) buffer.push(toks(`t${i} `));
  assert.equal(frames.length, 1);
  assert.equal(plans.length, 0, 'nothing is written before the frame');
  frames[0]();
  assert.equal(plans.length, 1);
  assert.equal(plans[0].spans.length, 50);
  assert.equal(plans[0].firstIndex, 0);
  buffer.push(toks('next'));
  assert.equal(frames.length, 2, 'the next token schedules the next frame');
});

test('past the cap, tokens become plain text instead of elements', () => {
  const { buffer, frames, plans } = setup(3);
  buffer.push(toks('a', 'b'));
  frames[0]();
  buffer.push(toks('c', 'd', 'e'));
  frames[1]();
  buffer.push(toks('f'));
  frames[2]();
  assert.deepEqual(plans.map((p) => [p.spans.map((s) => s.text).join(''), p.firstIndex, p.plain]), [['ab', 0, ''], ['c', 2, 'de'], ['', 3, 'f']]);
  assert.equal(buffer.spans, 3);
});

test('100 000 tokens never create more than the cap of elements', () => {
  const { buffer, frames, plans } = setup(4000);
  for (let i = 0; i < 100; i++) {
    buffer.push(toks(...Array.from({ length: 1000 }, () => 'x')));
    frames.at(-1)!();
  }
  assert.equal(plans.reduce((n, p) => n + p.spans.length, 0), 4000);
  assert.equal(plans.reduce((n, p) => n + p.plain.length, 0), 96_000);
});

test('reset starts a new run; an explicit flush writes immediately', () => {
  const { buffer, frames, plans } = setup(2);
  buffer.push(toks('a', 'b', 'c'));
  buffer.reset();
  buffer.push(toks('d'));
  buffer.flush();
  assert.deepEqual(plans.map((p) => p.spans.map((s) => s.text)), [['d']]);
  frames[0]();
  assert.equal(plans.length, 1, 'the stale frame finds nothing left to write');
});
