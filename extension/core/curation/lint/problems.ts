/** Problem codes the curation tools report, with their severity and a short label for filters. */
export type Severity = 'error' | 'warning';

export const PROBLEM_INFO = {
  invalid_utf8: { severity: 'error', label: 'Not valid UTF-8' },
  invalid_json: { severity: 'error', label: 'Not JSON' },
  row_too_large: { severity: 'warning', label: 'Over the row size cap' },
  row_too_deep: { severity: 'error', label: 'Nested too deep' },
  blank_line: { severity: 'warning', label: 'Blank line' },
  data_type: { severity: 'error', label: 'Not an object' },
  unknown_format: { severity: 'error', label: 'Unknown format' },
  format_mismatch: { severity: 'warning', label: 'Different format' },
  format_field: { severity: 'error', label: 'Bad field' },
  missing_messages_list: { severity: 'error', label: 'Missing messages list' },
  message_missing_key: { severity: 'error', label: 'Message missing key' },
  message_unrecognized_key: { severity: 'error', label: 'Unrecognized key' },
  unrecognized_role: { severity: 'error', label: 'Unrecognized role' },
  missing_content: { severity: 'error', label: 'Missing content' },
  content_type: { severity: 'error', label: 'Wrong content type' },
  example_missing_assistant_message: { severity: 'error', label: 'No assistant message' },
  role_alternation: { severity: 'warning', label: 'Roles do not alternate' },
  final_turn_not_assistant: { severity: 'warning', label: 'Last turn not assistant' },
  empty_text: { severity: 'warning', label: 'Empty text' },
  identical_pair: { severity: 'warning', label: 'Identical preference pair' },
  too_long: { severity: 'warning', label: 'Over token limit' },
  duplicate: { severity: 'warning', label: 'Exact duplicate' },
  near_duplicate: { severity: 'warning', label: 'Near duplicate' },
  split_leakage: { severity: 'error', label: 'Split leakage' },
  pii: { severity: 'warning', label: 'PII or secret' },
} as const satisfies Record<string, { severity: Severity; label: string }>;

export type ProblemCode = keyof typeof PROBLEM_INFO;
export const PROBLEM_CODES = Object.keys(PROBLEM_INFO) as ProblemCode[];

export interface Problem {
  readonly code: ProblemCode;
  readonly severity: Severity;
  readonly message: string;
}

export function problem(code: ProblemCode, message: string): Problem {
  return { code, severity: PROBLEM_INFO[code].severity, message };
}
