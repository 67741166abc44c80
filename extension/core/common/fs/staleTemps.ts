/**
 * Temp files of the atomic writer: their names, and the clean-up of ones a killed writer left
 * behind (older than a day, matching this naming only), run on the next write to that folder.
 */
import { randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';
import type { WriterFs } from './writerFs';

/** `.<name>.<pid>.<8 hex>.tmp` next to the target (the name is cut so the whole fits in 255 bytes). */
export function tempPathFor(target: string, dir: string): string {
  const name = Buffer.from(basename(target)).subarray(0, 200).toString('utf8').replace(/\uFFFD+$/, '');
  return join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

const TEMP_NAME = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

export function isWriterTemp(name: string): boolean {
  return TEMP_NAME.test(name);
}

export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
/** A folder is scanned at most this often per process (appends can come once per keystroke). */
const RESCAN_MS = 10 * 60 * 1000;
const lastScan = new Map<string, number>();

/** Removes this writer's temp files older than a day from `dir`; returns their names. Never throws. */
export async function cleanStaleTemps(dir: string, fs: WriterFs, now = Date.now()): Promise<string[]> {
  const previous = lastScan.get(dir);
  if (previous !== undefined && now - previous < RESCAN_MS && now >= previous) return [];
  lastScan.set(dir, now);
  const removed: string[] = [];
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!isWriterTemp(name)) continue;
    const path = join(dir, name);
    try {
      const st = await fs.lstat(path);
      if (!st.isFile() || now - st.mtimeMs < STALE_AFTER_MS) continue;
      await fs.unlink(path);
      removed.push(name);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}
