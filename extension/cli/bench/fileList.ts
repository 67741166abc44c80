/**
 * `--files` for the benchmarks: comma-separated source paths, or a file listing them (one per
 * line, `#` comments skipped; tab-separated lines use the last column, as in
 * models/train/heldout_files.txt). A tab-separated line whose third column is a sha256 (lang,
 * source, sha256, path) pins the file's content: `readListedSources` refuses a file that no
 * longer has it, so figures measured on a list stay comparable.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { CliError } from '../errors';
import { errorMessage } from '../../base/errorText';

const SOURCE = /\.(ts|tsx|js|jsx|mjs|py|go|rs|java|c|h|cpp|cc|cs|rb|php|sh)$/;
const SHA256 = /^[0-9a-f]{64}$/;

export interface ListedFile {
  readonly path: string;
  /** The content's sha256 the list pins, if it has one. */
  readonly sha256?: string;
  /** Where the file is listed ("list.txt:12"), for errors. */
  readonly where?: string;
}

export function readFileEntries(spec: string): ListedFile[] {
  if (!spec.includes(',') && !SOURCE.test(spec) && existsSync(spec)) {
    const out: ListedFile[] = [];
    readFileSync(spec, 'utf8')
      .split('\n')
      .forEach((raw, i) => {
        const l = raw.trim();
        if (!l || l.startsWith('#')) return;
        const cols = l.split('\t');
        const sha = cols.length >= 4 && SHA256.test(cols[2]) ? cols[2] : undefined;
        out.push({ path: cols[cols.length - 1], sha256: sha, where: `${spec}:${i + 1}` });
      });
    return out;
  }
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((path) => ({ path }));
}

export function readFileList(spec: string): string[] {
  return readFileEntries(spec).map((e) => e.path);
}

/** The listed files' texts; a file that cannot be read, or whose content is not the pinned one, is a CliError. */
export function readListedSources(spec: string): { path: string; text: string }[] {
  return readFileEntries(spec).map(({ path, sha256, where }) => {
    let data: Buffer;
    try {
      data = readFileSync(path);
    } catch (err) {
      throw new CliError(`cannot read ${path} (${where ?? 'listed in --files'}): ${errorMessage(err)}`);
    }
    if (sha256) {
      const now = createHash('sha256').update(data).digest('hex');
      if (now !== sha256)
        throw new CliError(
          `${where}: ${path} has changed since the list was written (sha256 ${sha256.slice(0, 12)}… listed, ${now.slice(0, 12)}… now); ` +
            'measure a pinned copy (models/train/unseen_snapshot.py writes one for the unseen set) or write the list again',
        );
    }
    return { path, text: data.toString('utf8') };
  });
}
