/**
 * Atomic file writes: the content goes to a temporary file in the same folder, is flushed,
 * and then renamed over the target, so a reader never sees a half-written prompt or dataset.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Appends lines to a JSONL file by rewriting it atomically (existing content kept as-is). */
export async function appendJsonlAtomic(path: string, rows: readonly unknown[]): Promise<void> {
  let existing = '';
  try {
    existing = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (existing !== '' && !existing.endsWith('\n')) existing += '\n';
  await writeFileAtomic(path, existing + rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}
