/**
 * Who may talk to `lathe serve`. A token (`--token` / `LATHE_SERVE_TOKEN`) is required as
 * `Authorization: Bearer …` on every route, compared in constant time. The `Host` header must
 * name the bound address (a DNS-rebinding page sends its own domain), and a browser request
 * from another `Origin` is refused (a web page can POST `text/plain` without a preflight).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export interface GuardOptions {
  /** The address the server is bound to (127.0.0.1, 0.0.0.0, ::, a LAN address, …). */
  readonly boundHost: string;
  readonly port: number;
  readonly token?: string;
  /** More host names clients may use (e.g. the machine's DNS name when bound off loopback). */
  readonly allowedHosts?: readonly string[];
}

export interface Refusal {
  readonly status: 401 | 403;
  readonly message: string;
  readonly type: string;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1']);

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return LOOPBACK_NAMES.has(h) || /^127\./.test(h);
}

const isWildcard = (host: string) => host === '0.0.0.0' || host === '::' || host === '';

/** `host[:port]` of a Host header or URL authority → [hostname, port]. */
function splitAuthority(authority: string, defaultPort: number): [string, number] | undefined {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority.trim().toLowerCase());
  if (!m) return undefined;
  return [m[1].replace(/^\[|\]$/g, ''), m[2] ? Number(m[2]) : defaultPort];
}

export class RequestGuard {
  private readonly tokenDigest: Buffer | undefined;
  private readonly names: Set<string>;

  constructor(private readonly options: GuardOptions) {
    this.tokenDigest = options.token ? digest(options.token) : undefined;
    const bound = options.boundHost.replace(/^\[|\]$/g, '').toLowerCase();
    this.names = new Set((options.allowedHosts ?? []).map((h) => h.toLowerCase()));
    if (!isWildcard(bound)) this.names.add(bound);
    if (isLoopback(bound) || isWildcard(bound)) for (const n of LOOPBACK_NAMES) this.names.add(n);
  }

  /** Whether a client may address the server as `authority` (Host header or Origin's host). */
  private allowedAuthority(authority: string, defaultPort: number): boolean {
    const parts = splitAuthority(authority, defaultPort);
    if (!parts) return false;
    const [name, port] = parts;
    if (port !== this.options.port) return false;
    if (this.names.has(name)) return true;
    // Bound to every interface: any IP literal is this machine's address (rebinding needs a name).
    return isWildcard(this.options.boundHost) && isIP(name) !== 0;
  }

  /** Why the request is refused, or undefined when it may proceed. */
  check(req: IncomingMessage): Refusal | undefined {
    const host = req.headers.host;
    if (!host || !this.allowedAuthority(host, 80)) {
      return { status: 403, type: 'forbidden', message: `the Host header '${host ?? ''}' does not name this server's address; use http://${this.displayHost()}:${this.options.port} (or start lathe serve with --allowed-host NAME)` };
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.allowedOrigin(origin)) {
      return { status: 403, type: 'forbidden', message: `requests from the web origin '${origin}' are refused (only this server's own origin may call it from a browser)` };
    }
    if (this.tokenDigest && !this.authorized(req.headers.authorization)) {
      return { status: 401, type: 'authentication_error', message: 'this server requires "Authorization: Bearer <token>" (the --token or LATHE_SERVE_TOKEN it was started with)' };
    }
    return undefined;
  }

  private allowedOrigin(origin: string): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // includes the opaque origin "null"
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return this.allowedAuthority(url.host, url.protocol === 'https:' ? 443 : 80);
  }

  private authorized(header: string | undefined): boolean {
    const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
    // Both sides hashed to 32 bytes: the comparison takes the same time for any token given.
    return timingSafeEqual(digest(m ? m[1].trim() : ''), this.tokenDigest!) && m !== null;
  }

  private displayHost(): string {
    const h = this.options.boundHost;
    return isWildcard(h) ? 'this-machine' : h.includes(':') ? `[${h}]` : h;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
