/**
 * A Hugging Face-compatible model hub (the public hub, a mirror, an internal hub) through its
 * plain HTTP layout: `GET /api/models/{repo}` (the revision), `GET
 * /api/models/{repo}/tree/{revision}?recursive=true` (files with sizes; LFS files with their
 * sha256, small files with their git blob id; paged through `Link: rel="next"`) and
 * `GET /{repo}/resolve/{revision}/{path}` (the bytes, with Range). All through Lathe's network
 * door, so offline mode refuses it before any connection.
 */
import { isRecord } from '../../../base/records';
import type { Network } from '../../common/network';

export const DEFAULT_HUB_URL = 'https://huggingface.co';
export const HUB_FEATURE = 'Downloading models';

export interface HubFile {
  readonly path: string;
  readonly size: number;
  /** LFS files: the sha256 of the content, which the download is checked against. */
  readonly sha256?: string;
  /** Small (non-LFS) files: the git blob id (sha1 of "blob <size>\0" + content). */
  readonly gitOid?: string;
}

export interface RepoListing {
  readonly repo: string;
  /** The commit the files were listed at; downloads resolve this exact revision. */
  readonly revision: string;
  readonly files: readonly HubFile[];
}

export class HubError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'HubError';
  }
}

const REPO_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** Checks a repository id (`owner/name`); throws a HubError that says what is wrong. */
export function checkRepoId(repo: string): string {
  if (!REPO_ID.test(repo) || repo.includes('..')) throw new HubError(`'${repo}' is not a repository id (expected owner/name, e.g. onnx-community/Qwen2.5-Coder-0.5B-Instruct)`);
  return repo;
}

export interface HubOptions {
  readonly hubUrl: string;
  readonly network: Network;
  /** A hub access token (gated or private repositories). */
  readonly token?: string;
  /** For the listing calls (default 20 s). */
  readonly timeoutMs?: number;
}

export class HubClient {
  readonly base: string;

  constructor(private readonly options: HubOptions) {
    this.base = options.hubUrl.replace(/\/+$/, '');
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...extra, ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}) };
  }

  /** The URL of a file's bytes at `revision`. */
  fileUrl(repo: string, revision: string, path: string): string {
    return `${this.base}/${repo}/resolve/${encodeURIComponent(revision)}/${path.split('/').map(encodeURIComponent).join('/')}`;
  }

  /** GET a JSON document from the hub API; errors say what went wrong in words. */
  private async getJson(url: string, what: string, notFound: string, signal?: AbortSignal): Promise<{ body: unknown; res: Response }> {
    const timeoutMs = this.options.timeoutMs ?? 20_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await this.options.network.fetch(HUB_FEATURE, url, { headers: this.headers({ accept: 'application/json' }), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (err) {
      if (signal?.aborted || !(err instanceof Error) || err.name === 'OfflineError') throw err;
      if (timeout.aborted) throw new HubError(`${this.base} did not answer ${what} within ${timeoutMs / 1000} s`);
      const cause = err.cause instanceof Error ? err.cause.message : err.message;
      throw new HubError(`cannot reach the model hub ${this.base} (${cause}); check lathe.models.hubUrl or the network`);
    }
    if (res.status === 401 || res.status === 403) throw new HubError(`${this.base} refused ${what} (HTTP ${res.status}): the repository is private or gated; it needs a hub token (LATHE_HUB_TOKEN)`, res.status);
    if (res.status === 404) throw new HubError(notFound, 404);
    if (!res.ok) throw new HubError(`${this.base} answered ${what} with HTTP ${res.status}`, res.status);
    const text = await res.text();
    try {
      return { body: JSON.parse(text), res };
    } catch {
      throw new HubError(`${this.base} answered ${what} with something that is not JSON (${JSON.stringify(text.slice(0, 60))}…): is lathe.models.hubUrl a Hugging Face-compatible hub?`);
    }
  }

  /** The repository's files at its current revision. */
  async listing(repoId: string, signal?: AbortSignal): Promise<RepoListing> {
    const repo = checkRepoId(repoId);
    const { body: info } = await this.getJson(`${this.base}/api/models/${repo}`, `the repository '${repo}'`, `there is no repository '${repo}' on ${this.base} (HTTP 404): check the id`, signal);
    if (!isRecord(info)) throw new HubError(`${this.base}/api/models/${repo} answered JSON of another shape (expected an object)`);
    const revision = typeof info.sha === 'string' && /^[0-9a-f]{7,64}$/i.test(info.sha) ? info.sha : 'main';
    const files: HubFile[] = [];
    let url: string | undefined = `${this.base}/api/models/${repo}/tree/${encodeURIComponent(revision)}?recursive=true`;
    for (let page = 0; url && page < 100; page++) {
      const { body, res } = await this.getJson(url, `the file list of '${repo}'`, `${this.base} has no file list for '${repo}' at ${revision} (HTTP 404)`, signal);
      if (!Array.isArray(body)) throw new HubError(`${this.base} answered the file list of '${repo}' with JSON of another shape (expected an array)`);
      for (const e of body) {
        if (!isRecord(e) || e.type !== 'file' || typeof e.path !== 'string' || typeof e.size !== 'number') continue;
        const lfs = isRecord(e.lfs) ? e.lfs : undefined;
        const sha256 = lfs && typeof lfs.oid === 'string' && /^[0-9a-f]{64}$/i.test(lfs.oid) ? lfs.oid.toLowerCase() : undefined;
        const size = lfs && typeof lfs.size === 'number' ? lfs.size : e.size;
        const gitOid = !lfs && typeof e.oid === 'string' && /^[0-9a-f]{40}$/i.test(e.oid) ? e.oid.toLowerCase() : undefined;
        files.push({ path: e.path, size, sha256, gitOid });
      }
      url = nextPage(res.headers.get('link'), this.base);
    }
    return { repo, revision, files };
  }
}

/** The `rel="next"` URL of a Link header, kept on the hub's own origin. */
function nextPage(link: string | null, base: string): string | undefined {
  const m = link && /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  if (!m) return undefined;
  const next = new URL(m[1], base);
  return next.origin === new URL(base).origin ? next.href : undefined;
}
