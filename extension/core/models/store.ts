/**
 * Where Lathe keeps models on disk: downloaded folders under `<root>/models/<name>/` (each
 * with a `.lathe-source.json` record of where it came from), downloads in progress under
 * `<root>/models/.incoming/<name>/` (partial files kept there for the next resume), and the
 * local folders a user added in `<root>/folders.json`. The extension's root is its global
 * storage; the CLI's is `--store`, `LATHE_MODELS_HOME` or `~/.local/share/lathe`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { errorMessage } from '../../base/errorText';
import { isRecord } from '../../base/records';
import { atomicWrite } from '../common/fs/atomicWrite';

export const SOURCE_RECORD = '.lathe-source.json';

/** What `.lathe-source.json` says about a downloaded model. */
export interface SourceRecord {
  readonly hub: string;
  readonly repo: string;
  readonly revision: string;
  /** Weight variants downloaded into the folder. */
  readonly dtypes: readonly string[];
  readonly files: ReadonlyArray<{ readonly path: string; readonly size: number; readonly sha256?: string }>;
  readonly downloadedAt: string;
}

export interface StoredModel {
  readonly name: string;
  readonly dir: string;
  readonly source?: SourceRecord;
  readonly bytes: number;
}

export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/** The folder name a repository is stored under: `owner/name` → `owner--name`. */
export function storeName(repo: string): string {
  return repo.replace(/\//g, '--');
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

function parseSource(file: string): SourceRecord | undefined {
  try {
    const doc: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isRecord(doc) || typeof doc.repo !== 'string' || typeof doc.hub !== 'string') return undefined;
    return doc as unknown as SourceRecord;
  } catch {
    return undefined;
  }
}

export class ModelStore {
  readonly modelsDir: string;
  readonly incomingDir: string;
  readonly foldersFile: string;

  constructor(readonly root: string) {
    this.modelsDir = join(root, 'models');
    this.incomingDir = join(this.modelsDir, '.incoming');
    this.foldersFile = join(root, 'folders.json');
  }

  /** The CLI's store: `LATHE_MODELS_HOME`, else `$XDG_DATA_HOME/lathe`, else `~/.local/share/lathe`. */
  static defaultRoot(env: NodeJS.ProcessEnv = process.env): string {
    if (env.LATHE_MODELS_HOME) return resolve(env.LATHE_MODELS_HOME);
    return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'lathe');
  }

  /** Downloaded models, by name (folders in progress are not listed). */
  downloaded(): StoredModel[] {
    let names: string[];
    try {
      names = readdirSync(this.modelsDir);
    } catch {
      return [];
    }
    return names
      .filter((n) => !n.startsWith('.'))
      .sort()
      .flatMap((name) => {
        const dir = join(this.modelsDir, name);
        try {
          if (!statSync(dir).isDirectory()) return [];
          return [{ name, dir, source: parseSource(join(dir, SOURCE_RECORD)), bytes: folderBytes(dir) }];
        } catch {
          return [];
        }
      });
  }

  /** The stored model called `nameOrRepo` (its folder name or the repository it came from). */
  find(nameOrRepo: string): StoredModel | undefined {
    const all = this.downloaded();
    return all.find((m) => m.name === nameOrRepo) ?? all.find((m) => m.source?.repo === nameOrRepo) ?? all.find((m) => m.name === storeName(nameOrRepo));
  }

  /** Removes a downloaded model (and any unfinished download of it). */
  async remove(nameOrRepo: string): Promise<StoredModel> {
    const model = this.find(nameOrRepo);
    if (!model) {
      const have = this.downloaded().map((m) => m.name);
      throw new StoreError(`no downloaded model called '${nameOrRepo}' in ${this.modelsDir}${have.length ? ` (have: ${have.join(', ')})` : ' (none downloaded)'}`);
    }
    await rm(model.dir, { recursive: true, force: true });
    await rm(join(this.incomingDir, model.name), { recursive: true, force: true });
    return model;
  }

  /** Local model folders the user added, in the order added. */
  knownFolders(): string[] {
    if (!existsSync(this.foldersFile)) return [];
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(this.foldersFile, 'utf8'));
    } catch (err) {
      throw new StoreError(`${this.foldersFile} is not valid JSON (${errorMessage(err)}); fix or delete it to list your model folders again`);
    }
    if (!isRecord(doc) || !Array.isArray(doc.folders) || !doc.folders.every((f) => typeof f === 'string')) {
      throw new StoreError(`${this.foldersFile}: expected { "folders": ["/path/to/model", …] }`);
    }
    return doc.folders;
  }

  /** Remembers a local folder (absolute path); adding it again keeps one entry. */
  async addFolder(dir: string): Promise<void> {
    const folders = this.knownFolders();
    const abs = resolve(dir);
    if (folders.includes(abs)) return;
    await atomicWrite(this.foldersFile, `${JSON.stringify({ folders: [...folders, abs] }, null, 2)}\n`);
  }

  async forgetFolder(dir: string): Promise<void> {
    const folders = this.knownFolders();
    const abs = resolve(dir);
    if (!folders.includes(abs)) return;
    await atomicWrite(this.foldersFile, `${JSON.stringify({ folders: folders.filter((f) => f !== abs) }, null, 2)}\n`);
  }
}
