import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inventedNames, namesIn } from '../../../extension/core/completion/inventedNames';

const doc = 'import requests\n\ndef fetch(url):\n    response = requests.get(url)\n    return response.json()\n';

test('a member no file mentions is invented; known names, builtins and keywords are not', () => {
  const knows = namesIn(doc);
  assert.deepEqual(inventedNames('    data = response.getBodyAsJson()', 4, knows), ['getBodyAsJson']);
  assert.deepEqual(inventedNames('    return len(response.json())', 4, knows), []);
  assert.deepEqual(inventedNames('    if response is None: return None', 4, knows), []);
});

test('names the line declares are new by right', () => {
  const knows = namesIn(doc);
  assert.deepEqual(inventedNames('    total = 0', 4, knows), []);
  assert.deepEqual(inventedNames('    for item, count in response.items():', 4, knows), []);
  assert.deepEqual(inventedNames('    const { a, b } = await load(url)', 4, knows), ['load']);
  assert.deepEqual(inventedNames('def parse_body(raw, strict=False):', 0, knows), []);
  assert.deepEqual(inventedNames('    fetch(url, timeout=timeoutSeconds)', 4, knows), ['timeoutSeconds']);
  assert.deepEqual(inventedNames('    xs.map((item) => item.size)', 4, namesIn('xs')), []);
});

test('strings, comments and the text before the cursor are not judged', () => {
  const knows = namesIn(doc);
  assert.deepEqual(inventedNames('    print("hello wonderful world")  # greets everyone', 4, knows), []);
  assert.deepEqual(inventedNames('    unknownThing = response', 20, knows), [], 'only names reaching past the cursor count');
  assert.deepEqual(inventedNames('    resp', 4, knows), ['resp']);
});

test('namesIn matches whole words in any of the texts', () => {
  const knows = namesIn('let total = 1', 'function $init() {}');
  assert.equal(knows('total'), true);
  assert.equal(knows('tot'), false);
  assert.equal(knows('$init'), true);
});

test('a line with an unclosed quote and many backslashes is scanned in one pass', () => {
  const line = `const re = "${'\\\\d'.repeat(60)} + missingThing.call(`;
  assert.deepEqual(inventedNames(line, 0, () => false), []);
});
