/**
 * The dataset editor contract (host <-> webview): requests the webview makes for pages of rows
 * and for edits, notifications the host sends when the document changes. The webview never
 * holds all rows: it asks for the page it shows. Every payload is declared once, as the schema
 * its receiver checks it with; the TypeScript types are inferred from the schemas.
 */
import { arrayOf, bool, custom, int, nullable, num, object, oneOf, recordOf, str, text, type Infer } from '../base/schema';
import { webviewContract, type HostPeer, type WebviewPeer } from './contract';

export const DATASET_EDITOR_VIEW_TYPE = 'lathe.datasetEditor';
export const DATASET_EDITOR_TITLE = 'Lathe Dataset';

/** Rows per page request; the webview asks for more pages as it scrolls. */
export const PAGE_SIZE = 100;
export const MAX_PAGE_ROWS = 500;

export const BULK_ACTIONS = ['delete', 'redact'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

const id = int(0);
const severity = oneOf('error', 'warning');

/**
 * `problem`: '' any row; 'clean' rows without problems; 'problems' rows with any; 'errors'; or a
 * problem code. `tag`: '' any, else rows carrying it. `rating`: -1 any; 0 unrated; 1..5 rated
 * at least this. `search`: a case-insensitive substring of the row's text ('' matches all).
 */
const rowFilter = object({ problem: text(64), tag: text(200), rating: int(-1, 5), search: text(1000) });
export type RowFilter = Infer<typeof rowFilter>;

export const EMPTY_FILTER: RowFilter = { problem: '', tag: '', rating: -1, search: '' };

const problemView = object({ code: str, severity, message: str });
export type ProblemView = Infer<typeof problemView>;

/**
 * One row in the table. `line`: 1-based line in the file as loaded, null for rows added since;
 * `index`: position in the current document; `prompt`/`answer`: the first prompt-side and last
 * answer-side text, shortened.
 */
const rowSummary = object({
  id,
  line: nullable(num),
  index: num,
  format: str,
  prompt: str,
  answer: str,
  problems: arrayOf(problemView),
  tags: arrayOf(str),
  rating: num,
  tokens: nullable(num),
  edited: bool,
});
export type RowSummary = Infer<typeof rowSummary>;

/** A row with its full text (invalid UTF-8 shown with replacement characters) and, for a valid row, its conversation. */
const rowDetail = object({ ...rowSummary.shape, text: str, segments: nullable(arrayOf(object({ role: str, text: str }))) });
export type RowDetail = Infer<typeof rowDetail>;

const tokenSummary = object({ counter: str, min: num, mean: num, p5: num, p50: num, p95: num, max: num, limit: num, overLimit: num });

/** `problemRows`: rows with each problem code. */
const datasetSummary = object({
  fileName: str,
  lines: num,
  validRows: num,
  format: nullable(str),
  formatLabel: str,
  problemRows: recordOf(num),
  errorRows: num,
  tags: arrayOf(str),
  tokens: nullable(tokenSummary),
  duplicates: nullable(object({ groups: num, redundant: num, leaking: num, threshold: num })),
  analyzing: bool,
});
export type DatasetSummary = Infer<typeof datasetSummary>;

const problemLabel = object({ code: str, label: str, severity });
export type ProblemLabel = Infer<typeof problemLabel>;

const initState = object({
  summary: datasetSummary,
  version: num,
  problemLabels: arrayOf(problemLabel),
  formats: arrayOf(object({ id: str, label: str })),
  readOnly: bool,
});
export type InitState = Infer<typeof initState>;

const ratio = custom<number>((v, p) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100 ? undefined : `${p} must be a number in [0, 100]`));

/** `format`: the target format id, or '' to write rows as they are. */
const splitRequest = object({ seed: text(200), train: ratio, validation: ratio, test: ratio, stratified: bool, format: text(64) });
export type SplitRequest = Infer<typeof splitRequest>;

const splitResult = object({ files: arrayOf(object({ split: str, path: str, rows: num })), skipped: num, failed: num, leaking: num });
export type SplitResult = Infer<typeof splitResult>;

const tag = custom<string>((v, p) => (typeof v === 'string' && v.trim() !== '' && v.length <= 100 ? undefined : `${p} must be a non-empty tag of at most 100 characters`));
const threshold = custom<number>((v, p) => (typeof v === 'number' && v > 0 && v <= 1 ? undefined : `${p} must be in (0, 1]`));
const affected = nullable(object({ affected: num }));

export const datasetEditorContract = webviewContract({
  init: initState,
  toHost: {
    requests: {
      page: { params: object({ filter: rowFilter, start: int(0), count: int(1, MAX_PAGE_ROWS) }), result: object({ total: num, version: num, rows: arrayOf(rowSummary, MAX_PAGE_ROWS) }) },
      row: { params: object({ id }), result: nullable(rowDetail) },
      editRow: { params: object({ id, text: text(50_000_000) }), result: nullable(rowDetail) },
      deleteRows: { params: object({ ids: arrayOf(id, 1_000_000) }), result: object({ deleted: num }) },
      setMeta: { params: object({ id, tags: arrayOf(tag, 50), rating: int(0, 5) }), result: nullable(rowDetail) },
      redactRow: { params: object({ id }), result: object({ replacements: num }) },
      analyze: { params: object({ threshold }), result: object({ started: bool }) },
      exportSplit: { params: splitRequest, result: nullable(splitResult) },
      /** Position (in the filtered list) of the next row with problems after `after`, wrapping; null if none. */
      nextProblem: { params: object({ filter: rowFilter, after: int(-1), backwards: bool }), result: nullable(object({ index: num })) },
      /** Acts on every row matching the filter as one undoable edit; null when the user cancelled. */
      bulk: { params: object({ filter: rowFilter, action: oneOf(...BULK_ACTIONS) }), result: affected },
    },
    notifications: {},
  },
  toWebview: {
    requests: {},
    notifications: {
      /** The document changed (edit, undo, reload, analysis finished): refetch what is shown. */
      changed: object({ version: num, summary: datasetSummary }),
      progress: object({ phase: str, done: num, total: num }),
      notice: object({ level: oneOf('info', 'warning', 'error'), message: str }),
    },
  },
});

export type DatasetHostPeer = HostPeer<typeof datasetEditorContract>;
export type DatasetWebviewPeer = WebviewPeer<typeof datasetEditorContract>;
