/**
 * Every model Lathe can use, in one list for the picker and `lathe models list`: the embedded
 * model, the local folders the user added, downloaded models, servers detected on this machine
 * and the remote server from settings. Each entry says which roles it can fill and why; a
 * folder that does not qualify says what is missing.
 */
import type { FimFamily } from '../models/fim';
import type { DtypeChoice } from '../models/onnxFiles';
import type { RoleFits } from '../models/roles';
import type { ModelStore } from '../models/store';
import { validateModelFolder } from '../models/validate';
import type { DetectedServer } from './detect';
import { serverRoles, type ServerProduct } from './serverRoles';

export type EntryKind = 'embedded' | 'folder' | 'downloaded' | 'server' | 'remote';

export const KIND_TITLES: Readonly<Record<EntryKind, string>> = {
  embedded: 'Embedded',
  folder: 'Local folders',
  downloaded: 'Downloaded',
  server: 'Running on this machine',
  remote: 'Remote server (settings)',
};

/** The FIM template setting for a server: a family, none, or `auto` (the server's own or its name's). */
export type ServerFim = Exclude<FimFamily, 'lathe'> | 'none' | 'auto';

/** What choosing an entry sets. */
export type ModelChoice =
  | { readonly kind: 'embedded' }
  | { readonly kind: 'folder'; readonly dir: string }
  | { readonly kind: 'server'; readonly baseUrl: string; readonly model: string; readonly fim: ServerFim };

export interface CatalogEntry {
  /** Unique in one catalog. */
  readonly key: string;
  readonly kind: EntryKind;
  readonly name: string;
  /** The folder or the server URL. */
  readonly detail: string;
  readonly roles: RoleFits;
  /** Why the entry cannot be used at all (a folder that does not qualify). */
  readonly problem?: string;
  readonly choice: ModelChoice;
  /** Servers: which kind of server. */
  readonly product?: ServerProduct;
  /** Downloaded models: the repository they came from. */
  readonly repo?: string;
}

export interface CatalogInput {
  readonly embeddedDir?: string;
  /** Model stores to list (the first is where downloads go; others are listed too). */
  readonly stores: readonly ModelStore[];
  readonly dtype: DtypeChoice;
  /** Folders the settings point at (listed with the added folders even if never added). */
  readonly settingsFolders?: readonly string[];
  readonly servers?: readonly DetectedServer[];
  /** The remote servers from settings (the completion model's, the chat model's). */
  readonly remotes?: ReadonlyArray<{ readonly url: string; readonly model: string; readonly fim: ServerFim }>;
}

export interface Catalog {
  readonly entries: CatalogEntry[];
  /** Things that could not be listed (a broken folders.json), one sentence each. */
  readonly problems: string[];
}

function folderEntry(kind: 'embedded' | 'folder' | 'downloaded', dir: string, dtype: DtypeChoice, name?: string, repo?: string): CatalogEntry {
  const check = validateModelFolder(dir, dtype);
  const label = name ?? (check.ok ? check.folder.name : dir.split(/[\\/]/).pop() || dir);
  return {
    key: `${kind}:${dir}`,
    kind,
    name: label,
    detail: check.ok ? `${dir} (${check.weights.dtype}, ${(check.weights.weightBytes / 1e6).toFixed(1)} MB)` : dir,
    roles: check.roles,
    problem: check.ok ? undefined : check.reason,
    choice: kind === 'embedded' ? { kind: 'embedded' } : { kind: 'folder', dir },
    repo,
  };
}

export function buildCatalog(input: CatalogInput): Catalog {
  const entries: CatalogEntry[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const add = (e: CatalogEntry) => {
    if (seen.has(e.key)) return;
    seen.add(e.key);
    entries.push(e);
  };
  if (input.embeddedDir) add(folderEntry('embedded', input.embeddedDir, input.dtype));
  const downloads = input.stores.flatMap((store) => store.downloaded());
  const downloadDirs = new Set(downloads.map((m) => m.dir));
  const primary = input.stores[0];
  const folders = [...(input.settingsFolders ?? [])];
  if (primary) {
    try {
      folders.push(...primary.knownFolders());
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  // A downloaded model chosen in the settings is listed once, as a download.
  for (const dir of folders) if (!downloadDirs.has(dir)) add(folderEntry('folder', dir, input.dtype));
  for (const m of downloads) add(folderEntry('downloaded', m.dir, input.dtype, m.source?.repo ?? m.name, m.source?.repo));
  for (const server of input.servers ?? []) {
    for (const model of server.models) {
      const fim: ServerFim = 'auto';
      add({
        key: `server:${server.baseUrl}#${model.id}`,
        kind: 'server',
        name: model.id,
        detail: `${server.label} · ${server.baseUrl}`,
        roles: serverRoles(server.product, model),
        choice: { kind: 'server', baseUrl: server.baseUrl, model: model.id, fim },
        product: server.product,
      });
    }
  }
  for (const remote of input.remotes ?? []) {
    if (entries.some((e) => e.choice.kind === 'server' && sameUrl(e.choice.baseUrl, remote.url) && (!remote.model || e.choice.model === remote.model))) continue;
    let name = remote.model;
    try {
      name ||= new URL(remote.url).host;
    } catch {
      name ||= remote.url;
    }
    add({
      key: `remote:${remote.url}#${remote.model}`,
      kind: 'remote',
      name,
      detail: remote.url,
      roles: {
        completion: remote.fim === 'none' ? { ok: false, why: 'lathe.backend.fimTemplate is none' } : { ok: true, why: `FIM template: ${remote.fim}` },
        chat: { ok: true, why: "through the server's /v1/chat/completions, with the model's own chat template" },
      },
      choice: { kind: 'server', baseUrl: remote.url, model: remote.model, fim: remote.fim },
    });
  }
  return { entries, problems };
}

function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => u.replace(/\/+$/, '').replace('//localhost:', '//127.0.0.1:');
  return norm(a) === norm(b);
}

