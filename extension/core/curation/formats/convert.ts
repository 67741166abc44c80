/** Converting one parsed row between formats, and the text of a row for dedup, PII and tokens. */
import { detectRowFormat } from './detect';
import { readExample } from './read';
import type { FimTokens } from '../../models/fim';
import { writeExample, type Written } from './write';
import { contentText, FormatError, type Example, type FormatId, type Message } from './types';

export function convertRow(value: unknown, to: FormatId, from?: FormatId, fim?: FimTokens): Written {
  const source = from ?? detectRowFormat(value);
  if (!source) throw new FormatError('the row matches no known dataset format');
  return writeExample(to, readExample(source, value), fim);
}

/** One text segment of an example with the role it plays (for chat views and token counts). */
export interface Segment {
  readonly role: string;
  readonly text: string;
}

function messageSegments(messages: readonly Message[], prefix = ''): Segment[] {
  return messages.map((m) => ({ role: `${prefix}${m.role}`, text: contentText(m.content) }));
}

export function exampleSegments(example: Example): Segment[] {
  switch (example.kind) {
    case 'chat':
      return messageSegments(example.messages);
    case 'preference':
      return [...messageSegments(example.input), ...messageSegments(example.preferred, 'preferred '), ...messageSegments(example.nonPreferred, 'rejected ')];
    case 'completion':
      return [
        { role: 'prompt', text: example.prompt },
        { role: 'completion', text: example.completion },
      ];
    case 'fim':
      return [
        { role: 'prefix', text: example.prefix },
        { role: 'middle', text: example.middle },
        { role: 'suffix', text: example.suffix },
      ];
  }
}

/** All the text of an example, joined; what dedup, PII scans and token counts look at. */
export function exampleText(example: Example): string {
  return exampleSegments(example)
    .map((s) => s.text)
    .join('\n');
}
