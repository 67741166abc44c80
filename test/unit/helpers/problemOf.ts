import assert from 'node:assert/strict';

/** The complaint of a message validator, which returns an error string for a malformed message. */
export function problemOf(parsed: unknown): string {
  assert.equal(typeof parsed, 'string', 'expected the message to be rejected');
  return parsed as string;
}
