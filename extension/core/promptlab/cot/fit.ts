/**
 * A chain-of-thought template's answer budget, fitted to the model in use: the shipped
 * templates ask for 256–512 tokens, which a model with a 384-token window cannot give once the
 * prompt is in it. Opening a template lowers its max tokens so that the prompt (rendered with
 * its sample), room for a longer question and the answer fit the window.
 */

/** Tokens kept free for a question longer than the template's sample. */
export const QUESTION_ROOM = 64;
/** Fewer answer tokens than this is no room to reason in: the template does not fit. */
export const MIN_ANSWER_TOKENS = 32;

export interface WindowFit {
  /** The template's own max tokens. */
  readonly templateMaxTokens: number;
  /** The max tokens it opens with. */
  readonly maxTokens: number;
  /** The prompt rendered with the template's sample. */
  readonly promptTokens: number;
  readonly contextLength: number;
  /** False: even fitted, the prompt leaves fewer than MIN_ANSWER_TOKENS for the answer. */
  readonly fits: boolean;
}

export function fitMaxTokens(templateMaxTokens: number, promptTokens: number, contextLength: number): WindowFit {
  const room = contextLength - promptTokens - QUESTION_ROOM;
  const fits = room >= MIN_ANSWER_TOKENS;
  const maxTokens = Math.min(templateMaxTokens, fits ? room : Math.max(MIN_ANSWER_TOKENS, contextLength - promptTokens));
  return { templateMaxTokens, maxTokens, promptTokens, contextLength, fits };
}

/** What the Prompt Lab says about a fitted template; undefined when nothing changed. */
export function describeFit(f: WindowFit): string | undefined {
  if (!f.fits) {
    return `This template's prompt is ${f.promptTokens} tokens with its sample question: it leaves the model's ${f.contextLength}-token window no room to reason in. Use a model with a larger window.`;
  }
  if (f.maxTokens === f.templateMaxTokens) return undefined;
  return `Max tokens lowered from ${f.templateMaxTokens} to ${f.maxTokens}, so that the prompt (${f.promptTokens} tokens with the sample question), ${QUESTION_ROOM} tokens for a longer question and the answer fit the model's ${f.contextLength}-token window.`;
}
