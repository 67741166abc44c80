/**
 * The dataset editor contract (host <-> webview): requests the webview makes for pages of rows
 * and for edits, notifications the host sends when the document changes. The webview never
 * holds all rows: it asks for the page it shows.
 */
import type { InboundSpec } from './peer';
import type { Check } from './validate';
import { arrayOf, bool, num, object, oneOf, str } from './validate';

export const DATASET_EDITOR_VIEW_TYPE = 'lathe.datasetEditor';
export const DATASET_EDITOR_TITLE = 'Lathe Dataset';

/** Rows per page request; the webview asks for more pages as it scrolls. */
export const PAGE_SIZE = 100;
export const MAX_PAGE_ROWS = 500;

export type Severity = 'error' | 'warning';

export interface ProblemView {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
}

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
  readonly format: string;
  /** First prompt-side text and last answer-side text, shortened. */
  readonly prompt: string;
  readonly answer: string;
  readonly problems: readonly ProblemView[];
  readonly tags: readonly string[];
  readonly rating: number;
  readonly tokens: number | null;
  readonly edited: boolean;
}

export interface RowDetail extends RowSummary {
  /** The row's full text as in the file (invalid UTF-8 shown with replacement characters). */
  readonly text: string;
  /** The row as a conversation (role + text), or null when it is not a valid row. */
  readonly segments: ReadonlyArray<{ readonly role: string; readonly text: string }> | null;
}

export interface TokenSummary {
  readonly counter: string;
  readonly min: number;
  readonly mean: number;
  readonly p5: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  readonly limit: number;
  readonly overLimit: number;
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
  readonly tokens: TokenSummary | null;
  readonly duplicates: { readonly groups: number; readonly redundant: number; readonly leaking: number; readonly threshold: number } | null;
  readonly analyzing: boolean;
}

export interface ProblemLabel {
  readonly code: string;
  readonly label: string;
  readonly severity: Severity;
}

export interface InitState {
  readonly summary: DatasetSummary;
  readonly version: number;
  readonly problemLabels: readonly ProblemLabel[];
  readonly formats: ReadonlyArray<{ readonly id: string; readonly label: string }>;
  readonly readOnly: boolean;
}

export interface SplitRequest {
  readonly seed: string;
  readonly train: number;
  readonly validation: number;
  readonly test: number;
  readonly stratified: boolean;
  /** Target format id, or '' to write rows as they are. */
  readonly format: string;
}

export interface SplitResult {
  readonly files: ReadonlyArray<{ readonly split: string; readonly path: string; readonly rows: number }>;
  readonly skipped: number;
  readonly failed: number;
  readonly leaking: number;
}

export type WebviewNotifications = {
  ready: { readonly clientVersion: string };
};

export type WebviewRequests = {
  page: { params: { readonly filter: RowFilter; readonly start: number; readonly count: number }; result: { readonly total: number; readonly version: number; readonly rows: readonly RowSummary[] } };
  row: { params: { readonly id: number }; result: RowDetail | null };
  editRow: { params: { readonly id: number; readonly text: string }; result: RowDetail | null };
  deleteRows: { params: { readonly ids: readonly number[] }; result: { readonly deleted: number } };
  setMeta: { params: { readonly id: number; readonly tags: readonly string[]; readonly rating: number }; result: RowDetail | null };
  redactRow: { params: { readonly id: number }; result: { readonly replacements: number } };
  analyze: { params: { readonly threshold: number }; result: { readonly started: boolean } };
  exportSplit: { params: SplitRequest; result: SplitResult | null };
  /** Position (in the filtered list) of the next row with problems after `after`, wrapping; null if none. */
  nextProblem: { params: { readonly filter: RowFilter; readonly after: number; readonly backwards: boolean }; result: { readonly index: number } | null };
  /** Acts on every row matching the filter as one undoable edit; null when the user cancelled. */
  bulk: { params: { readonly filter: RowFilter; readonly action: BulkAction }; result: { readonly affected: number } | null };
};

export const BULK_ACTIONS = ['delete', 'redact'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export type HostNotifications = {
  init: InitState;
  /** The document changed (edit, undo, reload, analysis finished): refetch what is shown. */
  changed: { readonly version: number; readonly summary: DatasetSummary };
  progress: { readonly phase: string; readonly done: number; readonly total: number };
  notice: { readonly level: 'info' | 'warning' | 'error'; readonly message: string };
};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the host asks nothing of the webview
export type HostRequests = {};

function int(min: number, max: number): Check {
  return (v, p) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? undefined : `${p} must be an integer in [${min}, ${max}]`);
}

function boundedStr(max: number): Check {
  return (v, p) => (typeof v === 'string' && v.length <= max ? undefined : `${p} must be a string of at most ${max} characters`);
}

function ratio(v: unknown, p: string): string | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100 ? undefined : `${p} must be a number in [0, 100]`;
}

const id = int(0, Number.MAX_SAFE_INTEGER);
const filter = object({ problem: boundedStr(64), tag: boundedStr(200), rating: int(-1, 5), search: boundedStr(1000) });
const tag = (v: unknown, p: string) => (typeof v === 'string' && v.trim() !== '' && v.length <= 100 ? undefined : `${p} must be a non-empty tag of at most 100 characters`);

/** What the host accepts from the webview. */
export const hostInbound: InboundSpec<WebviewRequests, WebviewNotifications> = {
  requests: {
    page: object({ filter, start: int(0, Number.MAX_SAFE_INTEGER), count: int(1, MAX_PAGE_ROWS) }),
    row: object({ id }),
    editRow: object({ id, text: boundedStr(50_000_000) }),
    deleteRows: object({ ids: arrayOf(id, 1_000_000) }),
    setMeta: object({ id, tags: arrayOf(tag, 50), rating: int(0, 5) }),
    redactRow: object({ id }),
    analyze: object({ threshold: (v, p) => (typeof v === 'number' && v > 0 && v <= 1 ? undefined : `${p} must be in (0, 1]`) }),
    bulk: object({ filter, action: oneOf(...BULK_ACTIONS) }),
    nextProblem: object({ filter, after: int(-1, Number.MAX_SAFE_INTEGER), backwards: bool }),
    exportSplit: object({ seed: boundedStr(200), train: ratio, validation: ratio, test: ratio, stratified: bool, format: boundedStr(64) }),
  },
  notifications: {
    ready: object({ clientVersion: str }),
  },
};

const anything: Check = () => undefined;

/** What the webview accepts from the host (the host is trusted; shapes are still checked). */
export const webviewInbound: InboundSpec<HostRequests, HostNotifications> = {
  requests: {},
  notifications: {
    init: object({ summary: anything, version: num, problemLabels: arrayOf(anything), formats: arrayOf(anything), readOnly: bool }),
    changed: object({ version: num, summary: anything }),
    progress: object({ phase: str, done: num, total: num }),
    notice: object({ level: str, message: str }),
  },
};

export const EMPTY_FILTER: RowFilter = { problem: '', tag: '', rating: -1, search: '' };
