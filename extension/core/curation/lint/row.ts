/**
 * Lints one decoded line: the line itself (UTF-8, JSON, object), its format, and the rules of
 * that format. Returns the canonical example when the row could be read.
 */
import { detectRowFormat, isObject } from '../formats/detect';
import { readExample } from '../formats/read';
import { FORMAT_LABELS, FormatError, type Example, type FormatId } from '../formats/types';
import type { ParsedLine } from '../jsonl/parse';
import { lintConversation, lintEmptyMessages, lintOpenAiMessages } from './messages';
import { problem, type Problem } from './problems';

export interface RowLint {
  readonly format?: FormatId;
  readonly example?: Example;
  readonly problems: readonly Problem[];
}

function formatRules(format: FormatId, value: Record<string, unknown>, example: Example): Problem[] {
  switch (example.kind) {
    case 'chat':
      if (format === 'openai-chat') return [...lintOpenAiMessages(value.messages, 'messages'), ...lintConversation(example.messages, 'messages')];
      return [...lintEmptyMessages(example.messages, 'conversations'), ...lintConversation(example.messages, format === 'alpaca' ? 'example' : 'conversations')];
    case 'preference': {
      const input = isObject(value.input) ? value.input.messages : undefined;
      const out = [
        ...lintOpenAiMessages(input, 'input.messages'),
        ...lintOpenAiMessages(value.preferred_output, 'preferred_output'),
        ...lintOpenAiMessages(value.non_preferred_output, 'non_preferred_output'),
        ...lintConversation(example.input, 'input.messages', false),
      ];
      for (const [name, list] of [['preferred_output', example.preferred], ['non_preferred_output', example.nonPreferred]] as const) {
        if (list.length !== 1 || list[0].role !== 'assistant') out.push(problem('format_field', `${name} must hold exactly one assistant message`));
      }
      if (JSON.stringify(value.preferred_output) === JSON.stringify(value.non_preferred_output)) {
        out.push(problem('identical_pair', 'the preferred and non-preferred answers are the same'));
      }
      return out;
    }
    case 'completion':
      return example.completion.trim() === '' ? [problem('empty_text', "'completion' is empty")] : [];
    case 'fim':
      return example.middle === '' ? [problem('empty_text', "'middle' is empty: nothing to fill in")] : [];
  }
}

function alpacaRules(example: Example): Problem[] {
  if (example.kind !== 'chat') return [];
  const out: Problem[] = [];
  const user = example.messages.find((m) => m.role === 'user');
  if (user?.parts && user.parts.instruction.trim() === '') out.push(problem('empty_text', "'instruction' is empty"));
  const answer = example.messages.find((m) => m.role === 'assistant');
  if (answer && typeof answer.content === 'string' && answer.content.trim() === '') out.push(problem('empty_text', "'output' is empty"));
  return out;
}

/** Lints a decoded line; `datasetFormat` (the majority format) flags rows written differently. */
export function lintLine(line: ParsedLine, datasetFormat?: FormatId): RowLint {
  switch (line.status) {
    case 'invalid-utf8':
      return { problems: [problem('invalid_utf8', line.error)] };
    case 'invalid-json':
      return { problems: [problem('invalid_json', line.error)] };
    case 'too-large':
      return { problems: [problem('row_too_large', line.error)] };
    case 'too-deep':
      return { problems: [problem('row_too_deep', line.error)] };
    case 'blank':
      return { problems: [problem('blank_line', 'blank line (kept as is; most trainers reject it)')] };
    case 'json':
      return lintValue(line.value, datasetFormat);
  }
}

export function lintValue(value: unknown, datasetFormat?: FormatId): RowLint {
  if (!isObject(value)) return { problems: [problem('data_type', `the row is ${Array.isArray(value) ? 'a list' : typeof value}, not an object`)] };
  const format = detectRowFormat(value);
  if (!format) {
    if (datasetFormat === 'openai-chat') return { problems: [problem('missing_messages_list', "the row has no 'messages' list")] };
    return { problems: [problem('unknown_format', `no known format has the keys ${Object.keys(value).join(', ') || '(none)'}`)] };
  }
  const problems: Problem[] = [];
  if (datasetFormat && format !== datasetFormat) {
    problems.push(problem('format_mismatch', `written as ${FORMAT_LABELS[format]}; the dataset is ${FORMAT_LABELS[datasetFormat]}`));
  }
  let example: Example;
  try {
    example = readExample(format, value);
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    const code = format === 'openai-chat' && !Array.isArray(value.messages) ? 'missing_messages_list' : err.kind === 'content-type' ? 'content_type' : 'format_field';
    if (format === 'openai-chat' && Array.isArray(value.messages)) {
      const raw = lintOpenAiMessages(value.messages, 'messages');
      if (raw.length > 0) return { format, problems: [...problems, ...raw] };
    }
    return { format, problems: [...problems, problem(code, err.message)] };
  }
  problems.push(...formatRules(format, value, example));
  if (format === 'alpaca') problems.push(...alpacaRules(example));
  return { format, example, problems };
}
