/**
 * A model hub on loopback with the Hugging Face URL and API layout — `/api/models/{repo}`,
 * `/api/models/{repo}/tree/{rev}?recursive=true` (paged with `Link`), `/{repo}/resolve/{rev}/{path}`
 * with Range — serving repositories from memory, with faults a test can inject: a connection cut
 * after N bytes, a listed sha256 that disagrees with the bytes, a file that stalls, a server that
 * ignores Range.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, relative } from 'node:path';

export interface FakeRepo {
  readonly sha: string;
  readonly files: Map<string, Buffer>;
  /** Paths stored in LFS (listed with their sha256); the rest get a git blob id. */
  readonly lfs: Set<string>;
}

export interface Faults {
  /** Cut the connection after this many bytes of the file, for the first `times` requests of it. */
  cut?: { path: string; afterBytes: number; times: number };
  /** List this sha256 for the file instead of the real one. */
  wrongSha256?: string;
  /** Send this many bytes of the file, then nothing (the connection stays open). */
  stall?: { path: string; afterBytes: number };
  /** Answer Range requests with the whole file (200). */
  ignoreRange?: boolean;
  /** Files per tree page (default: all in one page). */
  pageSize?: number;
}

export interface HubRequest {
  readonly path: string;
  readonly range?: string;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const gitOid = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

/** A repository from a model folder on disk (`*.onnx*` files in LFS). */
export function repoFromFolder(dir: string, extra: Record<string, Buffer> = {}): FakeRepo {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p).split('\\').join('/'), readFileSync(p));
    }
  };
  walk(dir);
  for (const [k, v] of Object.entries(extra)) files.set(k, v);
  return { sha: 'a'.repeat(40), files, lfs: new Set([...files.keys()].filter((p) => /\.onnx(_data)?$/.test(p))) };
}

export class FakeHub {
  readonly repos = new Map<string, FakeRepo>();
  readonly requests: HubRequest[] = [];
  faults: Faults = {};
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly cuts = new Map<string, number>();
  url = '';

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }

  /** Requests for a file's bytes. */
  fileRequests(path: string): HubRequest[] {
    return this.requests.filter((r) => r.path.includes('/resolve/') && r.path.endsWith(`/${path}`));
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const path = decodeURIComponent(url.pathname);
    this.requests.push({ path, range: req.headers.range });
    let m = /^\/api\/models\/([^/]+\/[^/]+)$/.exec(path);
    if (m) {
      const repo = this.repos.get(m[1]);
      if (!repo) return this.json(res, 404, { error: 'Repository not found' });
      return this.json(res, 200, { id: m[1], modelId: m[1], sha: repo.sha, siblings: [...repo.files.keys()].map((rfilename) => ({ rfilename })) });
    }
    m = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/([^/]+)$/.exec(path);
    if (m) {
      const repo = this.repos.get(m[1]);
      if (!repo || m[2] !== repo.sha) return this.json(res, 404, { error: 'not found' });
      const entries = [...repo.files.entries()].map(([p, b]) => {
        const lfs = repo.lfs.has(p) ? { oid: this.faults.wrongSha256 && p === this.faults.wrongSha256 ? sha256(Buffer.from('not these bytes')) : sha256(b), size: b.length, pointerSize: 134 } : undefined;
        return { type: 'file', oid: gitOid(b), size: b.length, path: p, ...(lfs ? { lfs } : {}) };
      });
      const size = this.faults.pageSize ?? entries.length;
      const cursor = Number(url.searchParams.get('cursor') ?? 0);
      const page = entries.slice(cursor, cursor + size);
      const next = cursor + size < entries.length ? { link: `<${this.url}/api/models/${m[1]}/tree/${m[2]}?recursive=true&cursor=${cursor + size}>; rel="next"` } : undefined;
      return this.json(res, 200, page, next);
    }
    m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (m) {
      const repo = this.repos.get(m[1]);
      const body = repo?.files.get(m[3]);
      if (!repo || !body || m[2] !== repo.sha) return this.json(res, 404, { error: 'Entry not found' });
      return this.sendFile(req, res, m[3], body);
    }
    this.json(res, 404, { error: `no route ${path}` });
  }

  private sendFile(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): void {
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && !this.faults.ignoreRange) {
      start = Number(range[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` });
        res.end();
        return;
      }
      res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, 'accept-ranges': 'bytes' });
    } else {
      res.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes' });
    }
    const cut = this.faults.cut;
    if (cut && cut.path === path && (this.cuts.get(path) ?? 0) < cut.times) {
      this.cuts.set(path, (this.cuts.get(path) ?? 0) + 1);
      const end = Math.max(start, Math.min(body.length, cut.afterBytes));
      res.write(body.subarray(start, end), () => setTimeout(() => req.socket.destroy(), 20));
      return;
    }
    const stall = this.faults.stall;
    if (stall && stall.path === path) {
      res.write(body.subarray(start, Math.max(start, stall.afterBytes)));
      return; // and nothing more
    }
    res.end(body.subarray(start));
  }
}
