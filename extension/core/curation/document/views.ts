/**
 * What a dataset session answers: rows as a table shows them, one row in full, the dataset's
 * summary, and the filter that selects rows. Editors (the host's webview protocol) map these to
 * their own shapes.
 */
import type { Segment } from '../formats/convert';
import type { Problem } from '../lint/problems';
import type { TokenStats } from '../lint/tokens';

export interface RowFilter {
  /** '' any row; 'clean' rows without problems; 'problems' rows with any; 'errors'; or a problem code. */
  readonly problem: string;
  /** '' any; otherwise rows carrying this tag. */
  readonly tag: string;
  /** -1 any; 0 unrated; 1..5 rated at least this. */
  readonly rating: number;
  /** Case-insensitive substring of the row's text; '' matches all. */
  readonly search: string;
}

export interface RowSummary {
  readonly id: number;
  /** 1-based line in the file as loaded; null for rows added since. */
  readonly line: number | null;
  /** Position in the current document (0-based). */
  readonly index: number;
  /** The format's label, or 'unknown', 'invalid-json', 'invalid-utf8'. */
  readonly format: string;
  /** First prompt-side text and last answer-side text, shortened. */
  readonly prompt: string;
  readonly answer: string;
  readonly problems: readonly Problem[];
  readonly tags: readonly string[];
  readonly rating: number;
  readonly tokens: number | null;
  readonly edited: boolean;
}

export interface RowDetail extends RowSummary {
  /** The row's full text as in the file (invalid UTF-8 shown with replacement characters). */
  readonly text: string;
  /** The row as a conversation, or null when it is not a valid row. */
  readonly segments: readonly Segment[] | null;
}

export interface RowPage {
  /** Rows matching the filter. */
  readonly total: number;
  readonly version: number;
  readonly rows: readonly RowSummary[];
}

export interface DatasetSummary {
  readonly fileName: string;
  readonly lines: number;
  readonly validRows: number;
  readonly format: string | null;
  readonly formatLabel: string;
  /** Rows with each problem code. */
  readonly problemRows: Readonly<Record<string, number>>;
  readonly errorRows: number;
  readonly tags: readonly string[];
  /** Token statistics once every row was counted. */
  readonly tokens: TokenStats | null;
  readonly duplicates: { readonly groups: number; readonly redundant: number; readonly leaking: number; readonly threshold: number } | null;
  readonly analyzing: boolean;
}
