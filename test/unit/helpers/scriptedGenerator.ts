import type { ChatMessage, GenerateRequest, GenerateResult, TextGenerator } from '../../../extension/core/engine/shared/generator';

/**
 * A TextGenerator that replays a scripted answer piece by piece (honouring stop sequences
 * and the abort signal) and records what it was asked. For testing code that drives a model.
 */
export class ScriptedGenerator implements TextGenerator {
  readonly requests: GenerateRequest[] = [];
  aborted = 0;

  constructor(private readonly pieces: string[], private readonly delayMs = 0) {}

  async info() {
    return { id: 'scripted', contextLength: 4096, vocabSize: 10, hasChatTemplate: true };
  }

  async tokenize(text: string) {
    return [...text].map((c) => c.charCodeAt(0));
  }

  async renderChat(messages: readonly ChatMessage[]) {
    return messages.map((m) => `<${m.role}>${m.content}`).join('') + '<assistant>';
  }

  async generate(req: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    this.requests.push(req);
    let text = '';
    let finishReason: GenerateResult['finishReason'] = 'eos';
    let count = 0;
    for (const [i, p] of this.pieces.entries()) {
      if (signal?.aborted) {
        this.aborted++;
        finishReason = 'abort';
        break;
      }
      if (count >= req.maxTokens) {
        finishReason = 'length';
        break;
      }
      const stopAt = (req.stop ?? []).map((s) => (text + p).indexOf(s)).filter((x) => x >= 0);
      if (stopAt.length > 0) {
        text = (text + p).slice(0, Math.min(...stopAt));
        finishReason = 'stop';
        break;
      }
      text += p;
      count++;
      req.onToken?.({ text: p, tokenId: i, logprob: -0.5, top: [{ token: p, logprob: -0.5 }] });
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    }
    return {
      text,
      tokens: [...text].length ? this.pieces.slice(0, count).map((p, i) => ({ text: p, tokenId: i, logprob: -0.5 })) : [],
      finishReason,
      promptTokens: req.prompt.length,
      completionTokens: count,
      cachedTokens: 0,
      timings: { ttftMs: 1, totalMs: 2, decodeTokensPerSecond: 100 },
    };
  }
}
