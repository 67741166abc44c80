/**
 * The chain-of-thought settings of a prompt, kept in its front matter under `lathe.cot`
 * (a key other .prompty tools ignore and Prompt Lab writes back untouched):
 *
 *   lathe:
 *     cot:
 *       strategy: self-consistency   # zero-shot | few-shot | self-consistency | least-to-most | plan-and-solve
 *       samples: 5                   # self-consistency only
 *       answer: "the answer is\\s*(.+)"
 */
import { PromptLabError } from '../errors';
import { DEFAULT_ANSWER_PATTERN } from './answer';

export const STRATEGIES = ['zero-shot', 'few-shot', 'self-consistency', 'least-to-most', 'plan-and-solve'] as const;
export type StrategyId = (typeof STRATEGIES)[number];

export const STRATEGY_LABELS: Readonly<Record<StrategyId, string>> = {
  'zero-shot': 'Zero-shot CoT',
  'few-shot': 'Few-shot CoT',
  'self-consistency': 'Self-consistency',
  'least-to-most': 'Least-to-most',
  'plan-and-solve': 'Plan-and-solve',
};

export interface CotConfig {
  readonly strategy: StrategyId;
  readonly samples: number;
  readonly answerPattern: string;
}

export function readCotConfig(frontMatter: unknown, file: string): CotConfig | undefined {
  if (typeof frontMatter !== 'object' || frontMatter === null) return undefined;
  const lathe = (frontMatter as Record<string, unknown>).lathe;
  if (typeof lathe !== 'object' || lathe === null) return undefined;
  const cot = (lathe as Record<string, unknown>).cot;
  if (cot === undefined) return undefined;
  if (typeof cot !== 'object' || cot === null) throw new PromptLabError('must be a mapping', { file, field: 'lathe.cot' });
  const { strategy, samples, answer } = cot as Record<string, unknown>;
  if (!STRATEGIES.includes(strategy as StrategyId)) throw new PromptLabError(`strategy must be one of ${STRATEGIES.join(', ')}`, { file, field: 'lathe.cot.strategy' });
  if (samples !== undefined && (typeof samples !== 'number' || !Number.isInteger(samples) || samples < 1 || samples > 64)) {
    throw new PromptLabError('samples must be an integer from 1 to 64', { file, field: 'lathe.cot.samples' });
  }
  if (answer !== undefined && typeof answer !== 'string') throw new PromptLabError('answer must be a regular expression string', { file, field: 'lathe.cot.answer' });
  return {
    strategy: strategy as StrategyId,
    samples: strategy === 'self-consistency' ? ((samples) ?? 5) : 1,
    answerPattern: (answer) ?? DEFAULT_ANSWER_PATTERN,
  };
}
