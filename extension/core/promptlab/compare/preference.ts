/**
 * Dataset rows from a side-by-side pick, in OpenAI's fine-tuning formats: a preference pair
 * for DPO (`input.messages`, `preferred_output`, `non_preferred_output`) or a supervised row
 * (`messages` ending with the chosen assistant reply).
 */
import type { ChatMessage } from '../../engine/shared/generator';

export interface DpoRow {
  readonly input: { readonly messages: readonly ChatMessage[] };
  readonly preferred_output: readonly ChatMessage[];
  readonly non_preferred_output: readonly ChatMessage[];
}

export interface SftRow {
  readonly messages: readonly ChatMessage[];
}

export function dpoRow(messages: readonly ChatMessage[], preferred: string, rejected: string): DpoRow {
  if (preferred === rejected) throw new Error('the preferred and the rejected output are the same text: pick between different outputs');
  return {
    input: { messages },
    preferred_output: [{ role: 'assistant', content: preferred }],
    non_preferred_output: [{ role: 'assistant', content: rejected }],
  };
}

export function sftRow(messages: readonly ChatMessage[], preferred: string): SftRow {
  return { messages: [...messages, { role: 'assistant', content: preferred }] };
}
