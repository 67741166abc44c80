/**
 * Role markers in a rendered prompt body: a line `system:`, `user:` or `assistant:` (any case,
 * optionally after `#`) starts a message. Text before the first marker is a system message;
 * a body with no markers is one user message.
 */
import type { ChatMessage } from '../engine/shared/generator';

const MARKER = /^[ \t]*#?[ \t]*(system|user|assistant)[ \t]*:[ \t]*$/i;

export function splitRoles(text: string): ChatMessage[] {
  const lines = text.split(/\r?\n/);
  const messages: ChatMessage[] = [];
  let role: ChatMessage['role'] | undefined;
  let buffer: string[] = [];
  const flush = () => {
    const content = buffer.join('\n').trim();
    if (content !== '') messages.push({ role: role ?? 'system', content });
    buffer = [];
  };
  for (const line of lines) {
    const m = MARKER.exec(line);
    if (m) {
      flush();
      role = m[1].toLowerCase() as ChatMessage['role'];
    } else {
      buffer.push(line);
    }
  }
  flush();
  if (role === undefined) return messages.map((m) => ({ role: 'user', content: m.content }));
  return messages;
}

/** A plain transcript for models without a chat template, ending where the assistant speaks. */
export function transcript(messages: readonly ChatMessage[]): string {
  const label = { system: 'System', user: 'User', assistant: 'Assistant' } as const;
  const parts = messages.filter((m) => m.content !== '').map((m) => `${label[m.role]}: ${m.content}`);
  return `${parts.join('\n\n')}\n\nAssistant:`;
}
