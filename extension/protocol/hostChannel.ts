/**
 * The host's end of a webview's channel, shared by every Lathe webview: validates what the
 * webview sends, answers its `ready` with `init`, and holds notifications back until then (a
 * webview drops messages that arrive before its script listens). Plain TypeScript: a
 * `vscode.Webview` is a `WebviewPort`, and tests pass their own.
 */
import type { HostPeer, WebviewContract } from './contract';
import type { Envelope } from './envelope';
import { Peer, type NotificationName, type NotificationOf, type ParamsOf, type RequestName, type ResultOf } from './peer';

/** What the channel needs of a webview. */
export interface WebviewPort {
  postMessage(message: Envelope): unknown;
  onDidReceiveMessage(listener: (message: unknown) => void): { dispose(): void };
}

export interface HostChannelOptions<C extends WebviewContract> {
  /** The webview's initial state: sent as `init` on every `ready`, and again on `refresh()`. */
  readonly init: () => NotificationOf<C['toWebview'], 'init'>;
  /** Rejected and failed messages, for the log. */
  readonly onError: (message: string) => void;
  /** The webview's script is running (and has been sent `init`). */
  readonly onReady?: (clientVersion: string) => void;
  /** Why requests still waiting for the webview fail when the channel is disposed, e.g. 'the view was closed'. */
  readonly closedReason: string;
}

export class HostChannel<C extends WebviewContract> {
  private readonly peer: HostPeer<C>;
  private readonly subscription: { dispose(): void };
  private ready = false;
  /** The latest notification of each method sent before the webview was ready. */
  private readonly held = new Map<string, () => void>();

  constructor(port: WebviewPort, contract: C, private readonly options: HostChannelOptions<C>) {
    this.peer = new Peer(contract.toHost, contract.toWebview, (m) => void port.postMessage(m), options.onError);
    this.subscription = port.onDidReceiveMessage((m) => void this.peer.receive(m));
    this.peer.on('ready', ({ clientVersion }) => {
      this.ready = true;
      this.sendInit();
      const held = [...this.held.values()];
      this.held.clear();
      for (const send of held) send();
      options.onReady?.(clientVersion);
    });
  }

  /** Whether the webview's script has said it is ready. */
  get isReady(): boolean {
    return this.ready;
  }

  handle<K extends RequestName<C['toHost']>>(
    method: K,
    handler: (params: ParamsOf<C['toHost'], K>) => ResultOf<C['toHost'], K> | Promise<ResultOf<C['toHost'], K>>,
  ): void {
    this.peer.handle(method, handler);
  }

  on<K extends NotificationName<C['toHost']>>(method: K, handler: (params: NotificationOf<C['toHost'], K>) => void): { dispose(): void } {
    return this.peer.on(method, handler);
  }

  /** Sends now when the webview is ready; before that, the latest one per method waits for `init`. */
  notify<K extends NotificationName<C['toWebview']>>(method: K, params: NotificationOf<C['toWebview'], K>): void {
    if (this.ready) this.peer.notify(method, params);
    else this.held.set(method, () => this.peer.notify(method, params));
  }

  /** Sends `init` again (the state it carries changed); a webview that is not ready gets it on `ready`. */
  refresh(): void {
    if (this.ready) this.sendInit();
  }

  private sendInit(): void {
    this.peer.notify('init', this.options.init());
  }

  dispose(): void {
    this.subscription.dispose();
    this.held.clear();
    this.peer.rejectPending(this.options.closedReason);
  }
}
