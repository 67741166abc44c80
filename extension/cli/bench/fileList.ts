/**
 * `--files` for the benchmarks: comma-separated source paths, or a file listing them (one per
 * line, `#` comments skipped; tab-separated lines use the last column, as in
 * models/train/heldout_files.txt).
 */
import { existsSync, readFileSync } from 'node:fs';

const SOURCE = /\.(ts|tsx|js|jsx|mjs|py|go|rs|java|c|h|cpp|cc|cs|rb|php|sh)$/;

export function readFileList(spec: string): string[] {
  if (!spec.includes(',') && !SOURCE.test(spec) && existsSync(spec)) {
    return readFileSync(spec, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t').pop()!);
  }
  return spec.split(',').map((s) => s.trim()).filter(Boolean);
}
