/**
 * What the tags index reads: a list of source files and their text. The node file-system
 * implementation serves the CLI, benchmarks and tests; the host may pass its own (open
 * editors' unsaved text first, for instance).
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isIndexableLanguage, languageIdForPath } from './languages';

export interface WorkspaceFile {
  readonly uri: string;
  readonly languageId: string;
}

export interface WorkspaceSource {
  files(signal: AbortSignal): AsyncIterable<WorkspaceFile>;
  read(uri: string, signal: AbortSignal): Promise<string>;
}

/** Folders never indexed: dependencies, build output, caches, VCS metadata. */
export const IGNORED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'build', 'target', 'vendor', '.venv', 'venv',
  '__pycache__', '.next', '.nuxt', 'coverage', '.cache', '.idea', '.vscode-test', 'bin', 'obj',
]);

export interface FileSystemSourceOptions {
  readonly maxFiles?: number;
  readonly maxFileBytes?: number;
}

/** Source files under `root` whose language has a grammar, breadth first, ignoring IGNORED_DIRECTORIES. */
export function fileSystemSource(root: string, options: FileSystemSourceOptions = {}): WorkspaceSource {
  const maxFiles = options.maxFiles ?? 20_000;
  const maxFileBytes = options.maxFileBytes ?? 512 * 1024;
  return {
    async *files(signal) {
      let yielded = 0;
      const queue = [root];
      while (queue.length > 0) {
        signal.throwIfAborted();
        const dir = queue.shift()!;
        let entries: Dirent[];
        try {
          entries = await readdir(dir, { withFileTypes: true });
        } catch {
          continue;
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const e of entries) {
          const p = join(dir, e.name);
          if (e.isDirectory()) {
            if (!IGNORED_DIRECTORIES.has(e.name) && !e.name.startsWith('.')) queue.push(p);
            continue;
          }
          if (!e.isFile()) continue;
          const languageId = languageIdForPath(e.name);
          if (!isIndexableLanguage(languageId)) continue;
          try {
            if ((await stat(p)).size > maxFileBytes) continue;
          } catch {
            continue;
          }
          yield { uri: p, languageId };
          if (++yielded >= maxFiles) return;
        }
      }
    },
    read: (uri, signal) => readFile(uri, { encoding: 'utf8', signal }),
  };
}
