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

/**
 * A plain transcript for models without a chat template, which they can only continue: it ends
 * where the assistant speaks, or, when the template already began the assistant's answer
 * ("assistant:\nLet's think step by step."), inside that answer, so the model continues it
 * instead of starting another turn.
 */
export function transcript(messages: readonly ChatMessage[]): string {
  const label = { system: 'System', user: 'User', assistant: 'Assistant' } as const;
  const parts = messages.filter((m) => m.content !== '').map((m) => `${label[m.role]}: ${m.content}`);
  if (messages.at(-1)?.role === 'assistant' && parts.length > 0) return parts.join('\n\n');
  return `${parts.join('\n\n')}\n\nAssistant:`;
}

/** Where a transcript's answer ends: a model that cannot chat otherwise writes the next turns itself. */
export const TRANSCRIPT_STOPS: readonly string[] = ['\nUser:', '\nAssistant:', '\nSystem:'];

/** A chat prompt reaches a model without a chat template as a transcript. */
export function usesTranscript(api: 'chat' | 'completion', hasChatTemplate: boolean): boolean {
  return api !== 'completion' && !hasChatTemplate;
}

/** The run's parameters with the transcript's stops added when the prompt is sent as one. */
export function withTranscriptStops<P extends { readonly stop?: readonly string[] }>(parameters: P, transcriptPrompt: boolean): P {
  if (!transcriptPrompt) return parameters;
  const stop = [...(parameters.stop ?? [])];
  for (const s of TRANSCRIPT_STOPS) if (!stop.includes(s)) stop.push(s);
  return { ...parameters, stop };
}
