/**
 * The webview's end of its channel to the host, shared by every Lathe webview: validates what
 * the host sends, says `ready` once it listens, and hands each `init` (the first, and refreshes
 * the host sends later) to the view.
 */
import type { WebviewContract, WebviewPeer } from '../extension/protocol/contract';
import { Peer, type NotificationOf } from '../extension/protocol/peer';
import { vscodeApi } from './vscodeApi';

export interface HostChannelOptions<C extends WebviewContract> {
  /** Tags console errors, e.g. 'promptlab'. */
  readonly name: string;
  /** Sent with `ready`; the host logs it. */
  readonly clientVersion: string;
  readonly onInit: (init: NotificationOf<C['toWebview'], 'init'>, peer: WebviewPeer<C>) => void;
}

export function connectToHost<C extends WebviewContract>(contract: C, options: HostChannelOptions<C>): WebviewPeer<C> {
  const api = vscodeApi<unknown>();
  const peer: WebviewPeer<C> = new Peer(contract.toWebview, contract.toHost, (m) => api.postMessage(m), (e) => console.error(`[${options.name}] ${e}`));
  window.addEventListener('message', (ev: MessageEvent<unknown>) => void peer.receive(ev.data));
  peer.on('init', (init) => options.onInit(init, peer));
  // Every contract's `ready` has this shape; the compiler cannot see it through the generic C.
  const ready: NotificationOf<WebviewContract['toHost'], 'ready'> = { clientVersion: options.clientVersion };
  peer.notify('ready', ready as NotificationOf<C['toHost'], 'ready'>);
  return peer;
}
