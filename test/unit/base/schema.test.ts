import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayOf, bool, custom, int, nullable, num, object, oneOf, optional, recordOf, str, text, type Infer } from '../../../extension/base/schema';

const item = object({ name: str, count: int(0, 10), tags: arrayOf(str, 2), note: optional(str), parent: nullable(num), kind: oneOf('a', 'b') });
type Item = Infer<typeof item>;

const good: Item = { name: 'x', count: 3, tags: ['t'], parent: null, kind: 'a' };

test('a value that fits passes; optional fields may be absent or undefined', () => {
  assert.equal(item(good, 'item'), undefined);
  assert.equal(item({ ...good, note: undefined }, 'item'), undefined);
  assert.equal(item({ ...good, note: 'n', parent: 2 }, 'item'), undefined);
});

test('errors name the field that is wrong', () => {
  const cases: Array<[unknown, string]> = [
    [null, 'item must be an object'],
    [[], 'item must be an object'],
    [{ ...good, name: 1 }, 'item.name must be a string'],
    [{ ...good, count: 1.5 }, 'item.count must be an integer in [0, 10]'],
    [{ ...good, count: 11 }, 'item.count must be an integer in [0, 10]'],
    [{ ...good, tags: ['a', 'b', 'c'] }, 'item.tags has more than 2 items'],
    [{ ...good, tags: ['a', 3] }, 'item.tags[1] must be a string'],
    [{ ...good, parent: undefined }, 'item.parent must be a finite number'],
    [{ ...good, parent: Number.NaN }, 'item.parent must be a finite number'],
    [{ ...good, kind: 'c' }, 'item.kind must be one of a, b'],
    [{ ...good, extra: true }, 'item.extra is not a known field'],
    [{ ...good, constructor: 1 }, 'item.constructor is not a known field'],
  ];
  for (const [value, error] of cases) assert.equal(item(value, 'item'), error, JSON.stringify(value));
});

test('records, bounded text, booleans and hand-written checks', () => {
  const values = recordOf(bool);
  assert.equal(values({ a: true, b: false }, 'v'), undefined);
  assert.equal(values({ a: 'yes' }, 'v'), 'v.a must be a boolean');
  assert.equal(text(3)('abcd', 's'), 's must be a string of at most 3 characters');
  const even = custom<number>((v, p) => (typeof v === 'number' && v % 2 === 0 ? undefined : `${p} must be even`));
  assert.equal(object({ n: even })({ n: 3 }, 'x'), 'x.n must be even');
});

test('a shape extends another by spreading it', () => {
  const detail = object({ ...item.shape, text: str });
  assert.equal(detail({ ...good, text: 'full' }, 'row'), undefined);
  assert.equal(detail(good, 'row'), 'row.text must be a string');
});
