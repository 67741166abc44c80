/**
 * A webview's contract with the host: the messages each way, plus the ready handshake every
 * webview shares. The webview's script sends `ready` once it listens; the host answers with
 * `init` (the contract's initial state) and only then delivers its other notifications.
 */
import { object, str, type Check } from '../base/schema';
import type { Direction, Peer } from './peer';

const ready = object({ clientVersion: str });

export interface WebviewContract {
  readonly toHost: Direction & { readonly notifications: { readonly ready: typeof ready } };
  readonly toWebview: Direction & { readonly notifications: { readonly init: Check } };
}

/** The host's end of a contract's channel. */
export type HostPeer<C extends WebviewContract> = Peer<C['toHost'], C['toWebview']>;
/** The webview's end of a contract's channel. */
export type WebviewPeer<C extends WebviewContract> = Peer<C['toWebview'], C['toHost']>;

/** A contract's messages each way, with the handshake added. */
export interface ContractOf<Init extends Check, ToHost extends Direction, ToWebview extends Direction> {
  readonly toHost: { readonly requests: ToHost['requests']; readonly notifications: ToHost['notifications'] & { readonly ready: typeof ready } };
  readonly toWebview: { readonly requests: ToWebview['requests']; readonly notifications: ToWebview['notifications'] & { readonly init: Init } };
}

/** Adds the handshake (`ready` to the host, `init` with this schema to the webview) to the messages each way. */
export function webviewContract<Init extends Check, ToHost extends Direction, ToWebview extends Direction>(spec: {
  readonly init: Init;
  readonly toHost: ToHost;
  readonly toWebview: ToWebview;
}): ContractOf<Init, ToHost, ToWebview> {
  return {
    toHost: { requests: spec.toHost.requests, notifications: { ...spec.toHost.notifications, ready } },
    toWebview: { requests: spec.toWebview.requests, notifications: { ...spec.toWebview.notifications, init: spec.init } },
  };
}
