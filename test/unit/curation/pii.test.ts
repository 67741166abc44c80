import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ibanValid, luhnValid, shannonEntropy } from '../../../extension/core/curation/pii/checks';
import { redactText, scanText, type PiiKind } from '../../../extension/core/curation/pii/detect';
import { redactValue, scanValue } from '../../../extension/core/curation/pii/value';

const kinds = (text: string) => scanText(text).map((f) => f.kind);

test('Luhn: valid test card numbers pass, one digit off fails', () => {
  for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117']) assert.ok(luhnValid(n), n);
  assert.ok(!luhnValid('4111111111111112'));
  assert.ok(!luhnValid('1234'));
});

test('IBAN mod-97: valid examples pass, a changed digit fails', () => {
  assert.ok(ibanValid('GB82 WEST 1234 5698 7654 32'));
  assert.ok(ibanValid('DE89370400440532013000'));
  assert.ok(!ibanValid('DE89370400440532013001'));
});

test('entropy separates random tokens from words', () => {
  assert.ok(shannonEntropy('aaaaaaaa') === 0);
  assert.ok(shannonEntropy('Zx9Qk2Lm8Vb4Tr7Yp1Wn6Hs3') > 4);
});

test('each kind is found, and look-alikes are not', () => {
  const cases: Array<[string, PiiKind | undefined]> = [
    ['mail me at jane.doe+ft@example.co.uk please', 'email'],
    ['call +1 415 555 2671 today', 'phone'],
    ['call (415) 555-2671', 'phone'],
    ['server at 192.168.10.42 is down', 'ip_address'],
    ['v6 2001:db8:85a3::8a2e:370:7334 here', 'ip_address'],
    ['card 4111 1111 1111 1111 exp 12/29', 'credit_card'],
    ['IBAN GB82 WEST 1234 5698 7654 32.', 'iban'],
    ['key sk-proj-abcdefghijklmnopqrstuvwxyz012345', 'api_key'],
    ['aws AKIAIOSFODNN7EXAMPLE in config', 'api_key'],
    ['token ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'api_key'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----', 'private_key'],
    ['secret=Zx9Qk2Lm8Vb4Tr7Yp1Wn6Hs3Jd5Fg', 'secret'],
    ['card 4111 1111 1111 1112 is not valid', undefined],
    ['version 1.2.3.4000 is out', undefined],
    ['std::vector<int> and a::b', undefined],
    ['released on 2024-01-31', undefined],
    ['the identifier this_is_a_long_snake_case_name_ok', undefined],
    ['order 12345', undefined],
  ];
  for (const [text, kind] of cases) assert.deepEqual(kinds(text), kind ? [kind] : [], text);
});

test('API key findings name the provider and never show the whole key', () => {
  const [f] = scanText('use sk-ant-api03-abcdefghijklmnopqrstuvwxyz please');
  assert.equal(f.kind, 'api_key');
  assert.equal(f.detail, 'Anthropic');
  assert.ok(!f.preview.includes('abcdefghijklmnop'));
});

test('redaction uses typed placeholders', () => {
  assert.deepEqual(redactText('write jane@example.com or 10.0.0.1'), { text: 'write <EMAIL> or <IP_ADDRESS>', count: 2 });
  assert.equal(redactText('call +44 20 7946 0958 now', ['email']).text, 'call +44 20 7946 0958 now', 'only the chosen kinds');
});

test('rows: findings carry the JSON path; redaction keeps the row valid and keys untouched', () => {
  const row = { messages: [{ role: 'user', content: 'I am bob@example.org' }, { role: 'assistant', content: 'Hi' }], 'x@y.zz': 1 };
  assert.deepEqual(scanValue(row).map((f) => [f.kind, f.path]), [['email', 'messages[0].content']]);
  const r = redactValue(row);
  assert.equal(r.count, 1);
  assert.deepEqual(r.value, { messages: [{ role: 'user', content: 'I am <EMAIL>' }, { role: 'assistant', content: 'Hi' }], 'x@y.zz': 1 });
});
