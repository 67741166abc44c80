/**
 * Runs a prompt by its chain-of-thought strategy. The caller supplies `sample`, which renders
 * the prompt with extra variables, generates and streams; this module decides how many
 * samples, with which variables, and how the answer is extracted and voted.
 */
import type { GenerateResult } from '../../engine/shared/generator';
import type { PromptParameters } from '../prompty/types';
import { compileAnswerRule, extractAnswer, majorityVote, parseSubquestions, type Vote } from './answer';
import type { CotConfig } from './config';

export type Sample = (extra: Readonly<Record<string, unknown>>, parameters: PromptParameters, segment: string) => Promise<GenerateResult>;

export interface StrategyOutcome {
  /** The transcript shown to the user (all samples / steps, separated). */
  readonly text: string;
  readonly answer?: string;
  readonly vote?: Vote;
  readonly steps?: ReadonlyArray<{ readonly question: string; readonly answer: string }>;
  readonly results: readonly GenerateResult[];
}

/** Temperature used for self-consistency when the prompt asks for greedy decoding. */
export const SELF_CONSISTENCY_TEMPERATURE = 0.7;
/** Most sub-questions least-to-most will solve. */
export const MAX_SUBQUESTIONS = 8;

function aborted(signal: AbortSignal | undefined, results: readonly GenerateResult[]): boolean {
  return signal?.aborted === true || results.at(-1)?.finishReason === 'abort';
}

export async function runStrategy(config: CotConfig, parameters: PromptParameters, sample: Sample, signal?: AbortSignal): Promise<StrategyOutcome> {
  const rule = compileAnswerRule(config.answerPattern);
  switch (config.strategy) {
    case 'self-consistency': {
      const results: GenerateResult[] = [];
      const temperature = parameters.temperature ? parameters.temperature : SELF_CONSISTENCY_TEMPERATURE;
      for (let i = 0; i < config.samples && !aborted(signal, results); i++) {
        const seed = (parameters.seed ?? 0) + i;
        results.push(await sample({}, { ...parameters, temperature, seed }, `sample ${i + 1}/${config.samples}`));
      }
      const answers = results.map((r) => extractAnswer(r.text, rule));
      const vote = majorityVote(answers);
      const text = results.map((r, i) => `── sample ${i + 1}/${config.samples} · answer: ${answers[i] ?? '(none)'} ──\n${r.text}`).join('\n\n');
      return { text, answer: vote.answer, vote, results };
    }
    case 'least-to-most': {
      const results: GenerateResult[] = [];
      const plan = await sample({ stage: 'decompose', subquestions: [], solved: [], subquestion: '' }, parameters, 'decompose');
      results.push(plan);
      const subquestions = parseSubquestions(plan.text).slice(0, MAX_SUBQUESTIONS);
      const solved: Array<{ question: string; answer: string }> = [];
      for (let i = 0; i < subquestions.length && !aborted(signal, results); i++) {
        const r = await sample({ stage: 'solve', subquestions, solved: [...solved], subquestion: subquestions[i] }, parameters, `step ${i + 1}/${subquestions.length}: ${subquestions[i]}`);
        results.push(r);
        solved.push({ question: subquestions[i], answer: extractAnswer(r.text, rule) ?? r.text.trim().split('\n')[0] ?? '' });
      }
      const text = [`── decomposition ──\n${plan.text}`, ...solved.map((s, i) => `── step ${i + 1}: ${s.question} ──\n${results[i + 1].text}`)].join('\n\n');
      return { text, answer: solved.at(-1)?.answer, steps: solved, results };
    }
    default: {
      const r = await sample({}, parameters, config.strategy);
      return { text: r.text, answer: extractAnswer(r.text, rule), results: [r] };
    }
  }
}
