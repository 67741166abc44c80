/**
 * Tags and ratings live next to the dataset in `<file>.lathe.json`, never inside the rows:
 * curating does not change training data. Rows are keyed by a hash of their bytes, so the
 * sidecar survives reordering and edits made elsewhere (an edited row loses its old key).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { atomicWrite, type WriteOptions } from '../../common/fs/atomicWrite';
import type { DatasetModel, RowMeta } from './model';

export interface SidecarFile {
  readonly version: 1;
  readonly rows: Record<string, RowMeta>;
}

export function sidecarPath(file: string): string {
  return `${file}.lathe.json`;
}

export function rowKey(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('base64url');
}

function validMeta(v: unknown): RowMeta | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { tags, rating } = v as { tags?: unknown; rating?: unknown };
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) return undefined;
  if (typeof rating !== 'number' || !Number.isInteger(rating) || rating < 0 || rating > 5) return undefined;
  return { tags: tags, rating };
}

/** The sidecar's rows by key; empty when there is no sidecar or it cannot be read. */
export async function readSidecar(file: string): Promise<Map<string, RowMeta>> {
  const out = new Map<string, RowMeta>();
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(sidecarPath(file), 'utf8'));
  } catch {
    return out;
  }
  const rows = typeof doc === 'object' && doc !== null ? (doc as { rows?: unknown }).rows : undefined;
  if (typeof rows !== 'object' || rows === null) return out;
  for (const [key, value] of Object.entries(rows)) {
    const meta = validMeta(value);
    if (meta) out.set(key, meta);
  }
  return out;
}

/** Reads the sidecar into the model; returns how many rows got tags or a rating. */
export async function loadSidecar(file: string, model: DatasetModel): Promise<number> {
  const rows = await readSidecar(file);
  if (rows.size === 0) return 0;
  let matched = 0;
  for (const line of model.allLines()) {
    const meta = rows.get(rowKey(line.bytes));
    if (meta) {
      model.loadMeta(line.id, meta);
      matched++;
    }
  }
  return matched;
}

export function sidecarOf(model: DatasetModel): SidecarFile {
  const rows: Record<string, RowMeta> = {};
  for (const line of model.allLines()) {
    const meta = model.metaOf(line.id);
    if (meta.tags.length > 0 || meta.rating > 0) rows[rowKey(line.bytes)] = { tags: meta.tags, rating: meta.rating };
  }
  return { version: 1, rows };
}

/** Writes the sidecar atomically; writes nothing when there is no meta and no sidecar yet. */
export async function saveSidecar(file: string, model: DatasetModel, existed: boolean, options: WriteOptions = {}): Promise<boolean> {
  const doc = sidecarOf(model);
  if (!existed && Object.keys(doc.rows).length === 0) return false;
  await atomicWrite(sidecarPath(file), [Buffer.from(`${JSON.stringify(doc, null, 1)}\n`)], options);
  return true;
}
