/** The project's files on disk as the test-file search reads them (CLI, bench, tests). */
import { readdir, readFile, stat } from 'node:fs/promises';
import type { FileProbe } from './testFiles';

export const diskProbe: FileProbe = {
  exists: async (path) => stat(path).then(
    (s) => s.isFile(),
    () => false,
  ),
  read: async (path) => readFile(path, 'utf8').catch(() => undefined),
  list: async (dir) => readdir(dir).catch(() => []),
};
