import assert from 'node:assert/strict';
import { test } from 'node:test';
import { datasetProblems, analyzeLine } from '../../../extension/core/curation/lint/analyze';
import { PROBLEM_INFO, type ProblemCode } from '../../../extension/core/curation/lint/problems';
import { lintValue } from '../../../extension/core/curation/lint/row';

const codes = (value: unknown) => lintValue(value).problems.map((p) => p.code);
const msg = (role: string, content: unknown, extra: Record<string, unknown> = {}) => ({ role, content, ...extra });
const good = { messages: [msg('system', 'Be brief.'), msg('user', 'Hi'), msg('assistant', 'Hello')] };

test('a well-formed chat row has no problems', () => {
  assert.deepEqual(codes(good), []);
});

const cases: Array<[string, unknown, ProblemCode]> = [
  ['not an object (list)', [1, 2], 'data_type'],
  ['not an object (string)', 'hello', 'data_type'],
  ['missing messages list (empty)', { messages: [] }, 'missing_messages_list'],
  ['missing messages list (not a list)', { messages: 'hi' }, 'missing_messages_list'],
  ['message missing key', { messages: [{ role: 'user' }, msg('assistant', 'x')] }, 'message_missing_key'],
  ['message unrecognized key', { messages: [msg('user', 'q'), msg('assistant', 'a', { score: 5 })] }, 'message_unrecognized_key'],
  ['unrecognized role', { messages: [msg('usr', 'q'), msg('assistant', 'a')] }, 'unrecognized_role'],
  ['missing content', { messages: [msg('user', ''), msg('assistant', 'a')] }, 'missing_content'],
  ['content of a wrong type', { messages: [msg('user', 5), msg('assistant', 'a')] }, 'content_type'],
  ['no assistant message', { messages: [msg('user', 'q')] }, 'example_missing_assistant_message'],
  ['two user turns in a row', { messages: [msg('user', 'q'), msg('user', 'q2'), msg('assistant', 'a')] }, 'role_alternation'],
  ['starts with the assistant', { messages: [msg('assistant', 'a'), msg('user', 'q'), msg('assistant', 'b')] }, 'role_alternation'],
  ['system message mid-conversation', { messages: [msg('user', 'q'), msg('system', 's'), msg('assistant', 'a')] }, 'role_alternation'],
  ['tool result without a call', { messages: [msg('user', 'q'), msg('tool', 'r'), msg('assistant', 'a')] }, 'role_alternation'],
  ['last turn is the user', { messages: [msg('user', 'q'), msg('assistant', 'a'), msg('user', 'again')] }, 'final_turn_not_assistant'],
  ['unknown format', { text: 'hello' }, 'unknown_format'],
  ['alpaca without output text', { instruction: 'Do it', input: '', output: '' }, 'empty_text'],
  ['fim with empty middle', { prefix: 'a', suffix: 'b', middle: '' }, 'empty_text'],
  ['alpaca with a non-string output', { instruction: 'Do', output: 3 }, 'format_field'],
  [
    'identical preference pair',
    { input: { messages: [msg('user', 'q')] }, preferred_output: [msg('assistant', 'a')], non_preferred_output: [msg('assistant', 'a')] },
    'identical_pair',
  ],
  [
    'preference output that is not one assistant message',
    { input: { messages: [msg('user', 'q')] }, preferred_output: [msg('user', 'a')], non_preferred_output: [msg('assistant', 'b')] },
    'format_field',
  ],
];

for (const [name, value, code] of cases) {
  test(`lint rule ${code}: ${name}`, () => {
    assert.ok(codes(value).includes(code), `expected ${code} in ${JSON.stringify(codes(value))}`);
  });
}

test('a content of the wrong type is labelled as such, naming the field and the type it has', () => {
  const openai = lintValue({ messages: [msg('user', 42), msg('assistant', 'a')] }).problems;
  assert.deepEqual(
    openai.map((p) => [p.code, p.message]),
    [['content_type', 'messages[0].content must be a string or a list of parts, got number']],
  );
  const sharegpt = lintValue({ conversations: [{ from: 'human', value: { text: 'q' } }, { from: 'gpt', value: 'a' }] }).problems;
  assert.deepEqual(
    sharegpt.map((p) => [p.code, p.message]),
    [['content_type', 'conversations[0].value must be a string or a list of parts, got object']],
  );
  const hf = lintValue({ conversations: [{ role: 'user', content: true }, { role: 'assistant', content: 'a' }] }).problems;
  assert.deepEqual(
    hf.map((p) => p.code),
    ['content_type'],
  );
  assert.match(hf[0].message, /^conversations\[0\]\.content .* got boolean$/);
  assert.equal(PROBLEM_INFO.content_type.label, 'Wrong content type');
});

test('tool calls with null content and a following tool result are fine', () => {
  const row = {
    messages: [
      msg('user', 'weather?'),
      msg('assistant', null, { tool_calls: [{ id: 'c', type: 'function', function: { name: 'w', arguments: '{}' } }] }),
      msg('tool', '18C', { tool_call_id: 'c' }),
      msg('assistant', 'It is 18C.'),
    ],
  };
  assert.deepEqual(codes(row), []);
});

test('each problem message names where it is', () => {
  const p = lintValue({ messages: [msg('user', 'q'), msg('assistant', 'a', { score: 5 })] }).problems[0];
  assert.equal(p.message, "messages[1] has unrecognized key 'score'");
  assert.equal(p.severity, 'error');
});

test('lines that are not UTF-8, not JSON or blank are problems, not exceptions', () => {
  assert.deepEqual(analyzeLine(Buffer.from([0x7b, 0xff, 0x7d]), false).problems.map((p) => p.code), ['invalid_utf8']);
  assert.match(analyzeLine(Buffer.from([0x61, 0x62, 0xc3]), false).problems[0].message, /byte 3/);
  assert.deepEqual(analyzeLine(Buffer.from('{"messages": ['), false).problems.map((p) => p.code), ['invalid_json']);
  assert.deepEqual(analyzeLine(Buffer.from('   '), false).problems.map((p) => p.code), ['blank_line']);
  assert.equal(analyzeLine(Buffer.from(`\ufeff${JSON.stringify(good)}`), true).problems.length, 0, 'a BOM on line 1 is not an error');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":1}', 'utf16le')]);
  assert.match(analyzeLine(utf16, true).problems[0].message, /UTF-16 .*save it as UTF-8/);
});

test('dataset-level rules: another format than most rows, and no messages in a chat dataset', () => {
  const alpaca = analyzeLine(Buffer.from(JSON.stringify({ instruction: 'a', output: 'b' })), false);
  assert.deepEqual(datasetProblems(alpaca, 'openai-chat').map((p) => p.code), ['format_mismatch']);
  const other = analyzeLine(Buffer.from(JSON.stringify({ text: 'x' })), false);
  assert.deepEqual(datasetProblems(other, 'openai-chat').map((p) => p.code), ['missing_messages_list']);
});
