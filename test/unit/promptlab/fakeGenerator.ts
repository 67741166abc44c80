/**
 * A deterministic TextGenerator for unit tests: the reply is chosen by `respond(prompt, call)`,
 * tokens are whitespace-separated words, logprobs are fixed per position, abort is honoured.
 */
import type { ChatMessage, GenerateRequest, GenerateResult, ModelInfo, TextGenerator, TokenEvent } from '../../../extension/core/engine/shared/generator';

export interface FakeOptions {
  readonly respond: (prompt: string, call: number, request: GenerateRequest) => string;
  readonly contextLength?: number;
  readonly hasChatTemplate?: boolean;
  /** Logprob of the i-th generated token. */
  readonly logprob?: (i: number) => number;
  /** Fixed totalMs reported in timings. */
  readonly totalMs?: number;
  /** Called before each token is emitted (tests abort from here). */
  readonly beforeToken?: (i: number) => void;
}

export function words(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

export class FakeGenerator implements TextGenerator {
  readonly requests: GenerateRequest[] = [];

  constructor(private readonly opts: FakeOptions) {}

  async info(): Promise<ModelInfo> {
    return { id: 'fake-model', contextLength: this.opts.contextLength ?? 2048, vocabSize: 100, hasChatTemplate: this.opts.hasChatTemplate ?? false };
  }

  async tokenize(text: string): Promise<number[]> {
    return words(text).map((_, i) => i);
  }

  async renderChat(messages: readonly ChatMessage[]): Promise<string> {
    return messages.map((m) => `<|${m.role}|>${m.content}`).join('') + '<|assistant|>';
  }

  async generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    const call = this.requests.length;
    this.requests.push(request);
    const reply = this.opts.respond(request.prompt, call, request);
    const tokens: TokenEvent[] = [];
    let text = '';
    let finishReason: GenerateResult['finishReason'] = 'eos';
    const pieces = words(reply);
    for (let i = 0; i < pieces.length; i++) {
      this.opts.beforeToken?.(i);
      if (signal?.aborted) {
        finishReason = 'abort';
        break;
      }
      if (i >= request.maxTokens) {
        finishReason = 'length';
        break;
      }
      const candidate = text + pieces[i];
      const stop = request.stop?.find((s) => candidate.includes(s));
      if (stop) {
        finishReason = 'stop';
        break;
      }
      const logprob = this.opts.logprob?.(i) ?? -0.5;
      const event: TokenEvent = { text: pieces[i], tokenId: i, logprob, top: [{ token: pieces[i], logprob }, { token: ' alt', logprob: logprob - 1 }] };
      tokens.push(event);
      text = candidate;
      request.onToken?.(event);
      await Promise.resolve();
    }
    const promptTokens = (await this.tokenize(request.prompt)).length;
    return {
      text,
      tokens,
      finishReason,
      promptTokens,
      completionTokens: tokens.length,
      cachedTokens: 0,
      timings: { ttftMs: 1, totalMs: this.opts.totalMs ?? 10, decodeTokensPerSecond: 100 },
    };
  }
}
