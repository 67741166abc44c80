/** Prompt parameters → a GenerateRequest for the TextGenerator. */
import type { ChatRequest, GenerateRequest, TokenEvent } from '../engine/shared/generator';
import type { PromptParameters } from './prompty/types';

export const DEFAULT_MAX_TOKENS = 256;
/** Top alternatives requested per token for the logprob heatmap. */
export const HEATMAP_ALTERNATIVES = 5;

export function toGenerateRequest(prompt: string, p: PromptParameters, onToken?: (e: TokenEvent) => void): GenerateRequest {
  return { prompt, ...toSampling(p, onToken) };
}

/** The same parameters for chat messages (the generator's chat template applies them). */
export function toChatRequest(messages: ChatRequest['messages'], p: PromptParameters, onToken?: (e: TokenEvent) => void): ChatRequest {
  return { messages, ...toSampling(p, onToken) };
}

function toSampling(p: PromptParameters, onToken?: (e: TokenEvent) => void): Omit<ChatRequest, 'messages'> {
  return {
    maxTokens: p.maxTokens ?? DEFAULT_MAX_TOKENS,
    temperature: p.temperature,
    topP: p.topP,
    topK: p.topK,
    minP: p.minP,
    seed: p.seed,
    stop: p.stop && p.stop.length > 0 ? p.stop : undefined,
    logprobs: HEATMAP_ALTERNATIVES,
    onToken,
  };
}
