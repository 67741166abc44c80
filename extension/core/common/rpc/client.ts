/**
 * The client side of an RPC peer (a worker thread or a child process): numbered requests,
 * replies matched by id and validated before use, events routed to their request, and every
 * pending request failed with a clear error when the peer dies. A client is single-use: once
 * its peer has ended it stays dead, and its owner starts a new one for the next request.
 */
import type { Logger } from '../logger';
import { describeExit, type PeerExit, type RpcChannel } from './channel';
import type { EventOf, MethodTypes, ParamsOf, ResultOf, RpcErrorInfo, RpcProtocol } from './protocol';
import { claimedId, parsePeerMessage } from './wire';

export interface RpcClientOptions<E> {
  /** Where malformed messages and crashes are reported. */
  readonly log?: Pick<Logger, 'warn' | 'error'>;
  /** The error a caller sees for the peer's error reply. */
  remoteError(info: RpcErrorInfo): Error;
  /** The error for a peer that died, hung or sent something malformed. */
  failure(message: string): Error;
  /** Events without a request id (log lines). */
  onEvent?(event: EventOf<E>): void;
  /** A sentence added to crash and kill messages (what happens next). */
  readonly crashNote?: string;
  /** Called once if the peer ends without `close()` or `kill()`. */
  onCrash?(error: Error): void;
}

interface Pending<E> {
  readonly method: string;
  readonly params: unknown;
  readonly onEvent?: (event: EventOf<E>) => void;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export class RpcClient<M extends MethodTypes<M>, E> {
  private readonly pending = new Map<number, Pending<E>>();
  private nextId = 1;
  private ended = false;
  /** Set by close() and kill(): the end is expected and not a crash. */
  private stopping = false;
  private readonly exited: Promise<PeerExit>;
  /** Why the client stopped: later requests fail with it. */
  private endError: Error | undefined;

  constructor(
    private readonly channel: RpcChannel,
    private readonly protocol: RpcProtocol<M, E>,
    private readonly options: RpcClientOptions<E>,
  ) {
    channel.onMessage((raw) => this.receive(raw));
    this.exited = new Promise((resolve) => channel.onExit((exit) => {
      this.peerEnded(exit);
      resolve(exit);
    }));
  }

  /** False once the peer has ended or is being stopped. */
  get alive(): boolean {
    return !this.ended && !this.stopping;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  request<K extends keyof M & string>(method: K, params: ParamsOf<M, K>, onEvent?: (event: EventOf<E>) => void): { id: number; result: Promise<ResultOf<M, K>> } {
    const id = this.nextId++;
    const result = new Promise<ResultOf<M, K>>((resolve, reject) => {
      if (!this.alive) {
        reject(this.endError ?? this.options.failure(`${this.protocol.peer} is not running`));
        return;
      }
      this.pending.set(id, { method, params, onEvent, resolve, reject });
      try {
        this.channel.send({ kind: 'request', id, method, params });
      } catch (err) {
        // Params that cannot be copied to the peer (a function, a symbol): report, do not hang.
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    return { id, result };
  }

  /** Asks the peer to stop request `id` at its next safe point; its late replies are dropped. */
  cancel(id: number): void {
    if (!this.pending.delete(id) || !this.alive) return;
    this.channel.send({ kind: 'cancel', id });
  }

  /**
   * Ends the peer politely: pending requests fail with `reason` at once, the peer stops its
   * work at the next safe point, releases what it holds and exits. After `graceMs` it is killed.
   * Resolves when the peer has ended.
   */
  close(reason: Error, graceMs: number): Promise<PeerExit> {
    if (!this.ended && !this.stopping) {
      this.stopping = true;
      this.endError = reason;
      this.rejectAll(reason);
      this.channel.send({ kind: 'close' });
      const timer = setTimeout(() => {
        this.options.log?.warn(`${this.protocol.peer} did not end within ${graceMs} ms of being closed; killing it`);
        this.channel.kill();
      }, graceMs);
      void this.exited.then(() => clearTimeout(timer));
    }
    return this.exited;
  }

  /** Kills a peer that stopped answering; pending requests fail with `failure(reason)`. */
  kill(reason: string): void {
    if (this.ended || this.stopping) return;
    this.stopping = true;
    const error = this.options.failure(withNote(reason, this.options.crashNote));
    this.endError = error;
    this.options.log?.error(error.message);
    this.rejectAll(error);
    this.channel.kill();
    this.options.onCrash?.(error);
  }

  private receive(raw: unknown): void {
    const msg = parsePeerMessage(raw, this.protocol.errorCodes);
    if (typeof msg === 'string') return this.malformed(claimedId(raw), msg);
    if (msg.kind === 'event') {
      const check = Object.hasOwn(this.protocol.events, msg.name) ? this.protocol.events[msg.name as keyof E] : undefined;
      const bad = check ? check(msg.data, `${msg.name} event`) : `unknown event ${JSON.stringify(msg.name)}`;
      if (bad) return this.malformed(msg.id, bad);
      const event = { name: msg.name, data: msg.data } as EventOf<E>;
      if (msg.id === undefined) this.options.onEvent?.(event);
      else this.pending.get(msg.id)?.onEvent?.(event);
      return;
    }
    const pending = this.pending.get(msg.id);
    if (!pending) return; // a cancelled request's late reply
    this.pending.delete(msg.id);
    if (msg.kind === 'error') {
      pending.reject(this.options.remoteError(msg.error));
      return;
    }
    const bad = this.protocol.methods[pending.method as keyof M].result(msg.value, `${pending.method} result`, pending.params);
    if (bad) pending.reject(this.options.failure(`${this.protocol.peer} sent a malformed reply: ${bad}`));
    else pending.resolve(msg.value);
  }

  private malformed(id: number | undefined, problem: string): void {
    this.options.log?.error(`rejected a malformed message from ${this.protocol.peer}: ${problem}`);
    const pending = id !== undefined ? this.pending.get(id) : undefined;
    if (!pending || id === undefined) return;
    this.pending.delete(id);
    pending.reject(this.options.failure(`${this.protocol.peer} sent a malformed reply: ${problem}`));
  }

  private peerEnded(exit: PeerExit): void {
    const expected = this.stopping;
    this.ended = true;
    if (expected) return;
    const n = this.pending.size;
    const crashed = exit.signal !== null || exit.error !== undefined ? 'crashed' : 'exited unexpectedly';
    const output = exit.output && exit.output.length > 0 ? `; its last output: ${exit.output.slice(-3).join(' / ')}` : '';
    const error = this.options.failure(withNote(`${this.protocol.peer} ${crashed} (${describeExit(exit)})${output}${n > 0 ? `; ${n} pending request(s) failed` : ''}`, this.options.crashNote));
    this.endError = error;
    this.rejectAll(error);
    this.options.log?.error(error.message);
    this.options.onCrash?.(error);
  }

  private rejectAll(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }
}

function withNote(message: string, note: string | undefined): string {
  return note ? `${message}. ${note}` : message;
}
