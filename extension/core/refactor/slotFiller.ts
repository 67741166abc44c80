/**
 * The model's only job in a refactoring: fill one slot whose place and shape tree-sitter
 * chose. A fill-in-the-middle prompt at the exact slot, several candidates (greedy first, then
 * seeded samples at temperature 1 so every candidate's log-probabilities are the model's own,
 * unscaled view), each cleaned by the caller, ranked by those log-probabilities.
 */
import { errorMessage } from '../../base/errorText';
import type { FimTemplate } from '../completion/fimTemplates';
import { healPrefix } from '../completion/healing';
import type { GenerateResult, TextGenerator } from '../engine/shared/generator';
import { RefactorError } from './errors';

export interface SlotRequest {
  /** Text before the slot (the filler keeps its end when the window is small). */
  readonly prefix: string;
  /** Text after the slot (the filler keeps its start). */
  readonly suffix: string;
  readonly stop: readonly string[];
  readonly maxTokens: number;
  /** Distinct candidates wanted; fewer come back when the model has no more. */
  readonly candidates: number;
  readonly seed?: number;
  readonly filePath?: string;
  /** Code from elsewhere that helps (the function under test), placed before the FIM prefix. */
  readonly context?: string;
  /** `total` ranks by the sum of token logprobs (names), `mean` by the mean (prose). */
  readonly scoring?: 'total' | 'mean';
  /** Cleans a raw answer; undefined or '' drops it. */
  readonly accept?: (raw: string) => string | undefined;
}

export interface SlotCandidate {
  readonly text: string;
  /** Sum of the logprobs of the tokens that make up `text`. */
  readonly logprob: number;
  readonly tokens: number;
  readonly score: number;
}

export interface SlotFiller {
  fill(request: SlotRequest, signal?: AbortSignal): Promise<SlotCandidate[]>;
}

export interface FimSlotFillerOptions {
  /** Samples drawn per wanted candidate before giving up on more distinct ones (default 2). */
  readonly drawsPerCandidate?: number;
  /** Counts tokens like the model; without it the generator's tokenizer measures the prompt. */
  readonly countTokens?: (text: string) => number;
}

/** Prompt room kept for the FIM markers and a file path. */
const MARKER_TOKENS = 12;

export class FimSlotFiller implements SlotFiller {
  private model: { readonly contextLength: number; readonly tokenHealing: boolean } | undefined;

  constructor(
    private readonly generator: TextGenerator,
    private readonly template: FimTemplate,
    private readonly options: FimSlotFillerOptions = {},
  ) {}

  async fill(request: SlotRequest, signal?: AbortSignal): Promise<SlotCandidate[]> {
    let prompt: string;
    let forcePrefix: string | undefined;
    try {
      if (!this.model) {
        const info = await this.generator.info(signal);
        this.model = { contextLength: info.contextLength, tokenHealing: info.tokenHealing === true };
      }
      // Token healing: a slot usually follows a space or an indentation ("function |", " * |"),
      // which a BPE model writes as part of the next token; the engine forces it back instead.
      const healed = healPrefix(request.prefix, this.model.tokenHealing);
      forcePrefix = healed.forcePrefix;
      prompt = await this.fit({ ...request, prefix: healed.prefix }, this.model.contextLength, signal);
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new RefactorError('model', `the model failed to load: ${errorMessage(err)}`);
    }
    const stop = [...new Set([...this.template.stop, ...request.stop])];
    const best = new Map<string, SlotCandidate>();
    const draws = Math.max(request.candidates, request.candidates * (this.options.drawsPerCandidate ?? 2));
    for (let i = 0; i < draws && best.size < request.candidates; i++) {
      signal?.throwIfAborted();
      let result: GenerateResult;
      try {
        result = await this.generator.generate(
          {
            prompt,
            maxTokens: request.maxTokens,
            stop,
            logprobs: 0,
            temperature: i === 0 ? 0 : 1,
            seed: (request.seed ?? 0) + i,
            topK: i === 0 ? undefined : 40,
            forcePrefix,
          },
          signal,
        );
      } catch (err) {
        if (signal?.aborted) throw err;
        throw new RefactorError('model', `the model failed to answer: ${errorMessage(err)}`);
      }
      if (result.finishReason === 'abort') signal?.throwIfAborted();
      const candidate = scoreCandidate(result, request);
      if (!candidate) continue;
      const seen = best.get(candidate.text);
      if (!seen || seen.score < candidate.score) best.set(candidate.text, candidate);
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  }

  /** The FIM prompt with prefix and suffix cut (at line boundaries) to the model's window. */
  private async fit(request: SlotRequest, contextLength: number, signal?: AbortSignal): Promise<string> {
    const budget = Math.max(32, contextLength - request.maxTokens - MARKER_TOKENS);
    const count = async (text: string) => this.options.countTokens?.(text) ?? (await this.generator.tokenize(text, signal)).length;
    // Three quarters of the window before the slot, a quarter after (more when the suffix is short).
    let charsPerToken = 3;
    for (let attempt = 0; attempt < 5; attempt++) {
      const total = Math.floor(budget * charsPerToken);
      const suffix = headLines(request.suffix, Math.floor(total * 0.25));
      const context = request.context ? headLines(request.context, Math.floor(total * 0.4)) : undefined;
      const prefix = tailLines(request.prefix, total - suffix.length - (context?.length ?? 0));
      const prompt = this.template.build({ prefix, suffix, context, filePath: request.filePath });
      const tokens = await count(prompt);
      if (tokens <= budget + MARKER_TOKENS) return prompt;
      charsPerToken = Math.max(0.5, (charsPerToken * budget) / tokens) * 0.95;
    }
    const prefix = request.prefix.slice(-budget);
    return this.template.build({ prefix, suffix: '', filePath: request.filePath });
  }
}

/** The accepted text of one answer and the logprob of the tokens that produced it. */
function scoreCandidate(result: GenerateResult, request: SlotRequest): SlotCandidate | undefined {
  const text = request.accept ? request.accept(result.text) : result.text.trim();
  if (!text) return undefined;
  // Tokens that produced the accepted text: those starting before where it ends in the raw answer.
  const at = result.text.indexOf(text);
  const end = at === -1 ? result.text.length : at + text.length;
  let logprob = 0;
  let tokens = 0;
  let pos = 0;
  for (const t of result.tokens) {
    if (pos >= end) break;
    pos += t.text.length;
    if (t.logprob !== undefined) logprob += t.logprob;
    tokens++;
  }
  tokens = Math.max(1, tokens);
  const score = request.scoring === 'mean' ? logprob / tokens : logprob;
  return { text, logprob, tokens, score };
}

/** The end of `text`, at most `max` characters, starting at a line start when one is near. */
export function tailLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.length - Math.max(0, max);
  const nl = text.indexOf('\n', cut);
  return nl === -1 || nl - cut > 200 ? text.slice(cut) : text.slice(nl + 1);
}

/** The start of `text`, at most `max` characters, ending at a line end when one is near. */
export function headLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const nl = text.lastIndexOf('\n', Math.max(0, max));
  return nl <= 0 || max - nl > 200 ? text.slice(0, Math.max(0, max)) : text.slice(0, nl + 1);
}
