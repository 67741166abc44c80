/**
 * `lathe models pull` and Download a Model…: a hub repository's files for one weight variant
 * into the model store. The plan is made (and refused with a reason) before any byte moves;
 * free disk space is checked first; each file is downloaded with resume and checked against
 * the hub's hashes into `models/.incoming/<name>/` (parts kept there for the next run); the
 * finished folder is validated against the engine contract and only then renamed into
 * `models/<name>/`, with a `.lathe-source.json` record. Pulling another variant of a model
 * already stored adds to it.
 */
import { cp, link, mkdir, readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { atomicWrite } from '../../common/fs/atomicWrite';
import type { WriterFs } from '../../common/fs/writerFs';
import type { Network } from '../../common/network';
import type { DtypeChoice, ModelDtype } from '../onnxFiles';
import { SOURCE_RECORD, storeName, type ModelStore, type SourceRecord } from '../store';
import { validateModelFolder } from '../validate';
import { downloadFile } from './fileDownload';
import { HubClient, HubError, type HubFile, type RepoListing } from './hubClient';
import { planDownload, type DownloadPlan } from './plan';

export interface PullProgress {
  readonly phase: 'listing' | 'downloading' | 'validating' | 'done';
  readonly file?: string;
  /** Bytes of the plan on disk (finished files, parts). */
  readonly doneBytes: number;
  readonly totalBytes: number;
}

export interface PullOptions {
  readonly store: ModelStore;
  readonly hubUrl: string;
  readonly network: Network;
  readonly repo: string;
  readonly dtype: DtypeChoice;
  /** The repository's listing when the caller already fetched it (to offer its variants). */
  readonly listing?: RepoListing;
  readonly token?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: PullProgress) => void;
  readonly log?: (message: string) => void;
  readonly stallTimeoutMs?: number;
  readonly retries?: number;
  readonly backoffMs?: number;
  /** Free bytes where the store lives (tests inject a small disk). */
  readonly freeBytes?: (dir: string) => Promise<number>;
  readonly fs?: WriterFs;
}

export interface PullResult {
  readonly name: string;
  readonly dir: string;
  readonly repo: string;
  readonly revision: string;
  readonly dtype: ModelDtype;
  readonly files: number;
  /** Bytes that came over the network in this run. */
  readonly downloadedBytes: number;
  /** Bytes of parts an earlier run left, continued here. */
  readonly resumedBytes: number;
  readonly totalBytes: number;
}

/** Room kept free beyond the download itself. */
const DISK_MARGIN = 64 * 1024 * 1024;

async function diskFree(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

const gb = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`);

/** A file of the plan that the stored model already has (same size) needs no download. */
async function alreadyStored(finalDir: string, f: HubFile): Promise<boolean> {
  return (await sizeOf(join(finalDir, f.path))) === f.size && f.size > 0;
}

export async function pullModel(o: PullOptions): Promise<PullResult> {
  const hub = new HubClient({ hubUrl: o.hubUrl, network: o.network, token: o.token });
  o.onProgress?.({ phase: 'listing', doneBytes: 0, totalBytes: 0 });
  const listing = o.listing ?? (await hub.listing(o.repo, o.signal));
  const plan = planDownload(listing, o.dtype);
  const name = storeName(plan.repo);
  const finalDir = join(o.store.modelsDir, name);
  const staging = join(o.store.incomingDir, name);
  await mkdir(staging, { recursive: true });

  const todo: HubFile[] = [];
  for (const f of plan.files) if (!(await alreadyStored(finalDir, f))) todo.push(f);
  const onDisk = async (f: HubFile) => Math.max(await sizeOf(join(staging, f.path)), await sizeOf(join(staging, `${f.path}.part`)));
  const have = new Map<string, number>();
  for (const f of todo) have.set(f.path, await onDisk(f));
  const resumedBytes = [...have.values()].reduce((a, b) => a + b, 0);
  const needed = todo.reduce((n, f) => n + f.size - (have.get(f.path) ?? 0), 0);
  const free = await (o.freeBytes ?? diskFree)(o.store.modelsDir);
  if (needed + DISK_MARGIN > free) {
    throw new HubError(`${plan.repo} (${plan.dtype}) needs ${gb(needed)} more on disk, but only ${gb(free)} is free where models are stored (${o.store.modelsDir})`);
  }
  o.log?.(`${plan.repo} at ${plan.revision.slice(0, 12)}: ${plan.dtype} weights onnx/${plan.weights}, ${todo.length} of ${plan.files.length} files to fetch (${gb(needed)}${resumedBytes ? `, resuming ${gb(resumedBytes)}` : ''})`);

  let downloadedBytes = 0;
  const storedBytes = plan.totalBytes - todo.reduce((n, f) => n + f.size, 0);
  const progress = (file?: string) =>
    o.onProgress?.({ phase: 'downloading', file, doneBytes: storedBytes + [...have.values()].reduce((a, b) => a + b, 0), totalBytes: plan.totalBytes });
  for (const f of todo) {
    const dest = join(staging, f.path);
    if ((await sizeOf(dest)) === f.size) continue; // finished and checked in an earlier run
    const before = have.get(f.path) ?? 0;
    progress(f.path);
    await downloadFile({
      network: o.network,
      url: hub.fileUrl(plan.repo, plan.revision, f.path),
      headers: hub.headers(),
      file: f,
      dest,
      signal: o.signal,
      stallTimeoutMs: o.stallTimeoutMs,
      retries: o.retries,
      backoffMs: o.backoffMs,
      fs: o.fs,
      log: o.log,
      onBytes: (n) => {
        have.set(f.path, n);
        progress(f.path);
      },
    });
    downloadedBytes += f.size - before;
    have.set(f.path, f.size);
  }

  o.onProgress?.({ phase: 'validating', doneBytes: plan.totalBytes, totalBytes: plan.totalBytes });
  await completeFromStore(finalDir, staging);
  const check = validateModelFolder(staging, plan.dtype);
  if (!check.ok) {
    await rm(staging, { recursive: true, force: true });
    throw new HubError(`${plan.repo} was downloaded but is not a usable model folder: ${check.reason}; nothing was added`);
  }
  await atomicWrite(join(staging, SOURCE_RECORD), `${JSON.stringify(sourceRecord(o.hubUrl, plan, finalDir), null, 2)}\n`);
  await swapInto(staging, finalDir);
  o.onProgress?.({ phase: 'done', doneBytes: plan.totalBytes, totalBytes: plan.totalBytes });
  return { name, dir: finalDir, repo: plan.repo, revision: plan.revision, dtype: plan.dtype, files: plan.files.length, downloadedBytes, resumedBytes, totalBytes: plan.totalBytes };
}

function sourceRecord(hubUrl: string, plan: DownloadPlan, finalDir: string): SourceRecord {
  const previous = new Set<string>();
  try {
    // Keep the variants an earlier pull put in the same folder.
    const existing = validateModelFolder(finalDir);
    if (existing.ok) for (const w of existing.folder.weights) previous.add(w.dtype);
  } catch {
    // no earlier folder
  }
  return {
    hub: hubUrl,
    repo: plan.repo,
    revision: plan.revision,
    dtypes: [...new Set([...previous, plan.dtype])],
    files: plan.files.map((f) => ({ path: f.path, size: f.size, ...(f.sha256 ? { sha256: f.sha256 } : {}) })),
    downloadedAt: new Date().toISOString(),
  };
}

/** Makes the staging folder a complete model: the stored model's other files are linked (or copied) in. */
async function completeFromStore(finalDir: string, staging: string): Promise<void> {
  const walk = async (rel: string): Promise<string[]> => {
    const entries = await readdir(join(finalDir, rel), { withFileTypes: true }).catch(() => []);
    const out: string[] = [];
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) out.push(...(await walk(p)));
      else if (e.isFile() && e.name !== SOURCE_RECORD) out.push(p);
    }
    return out;
  };
  for (const rel of await walk('')) {
    const to = join(staging, rel);
    if ((await sizeOf(to)) > 0) continue;
    await mkdir(dirname(to), { recursive: true });
    await link(join(finalDir, rel), to).catch(() => cp(join(finalDir, rel), to));
  }
}

/** Puts the validated staging folder in place of the stored one (the old one is removed after). */
async function swapInto(staging: string, finalDir: string): Promise<void> {
  await mkdir(dirname(finalDir), { recursive: true });
  const old = `${staging}.replaced-${process.pid}`;
  const hadOld = await stat(finalDir).then(
    () => true,
    () => false,
  );
  if (hadOld) await rename(finalDir, old);
  await rename(staging, finalDir);
  if (hadOld) await rm(old, { recursive: true, force: true });
}
