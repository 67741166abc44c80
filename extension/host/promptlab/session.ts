import * as vscode from 'vscode';
import { Disposable } from '../../core/common/lifecycle';
import type { Logger } from '../../core/common/logger';
import { Peer } from '../../protocol/peer';
import {
  hostInbound,
  type HostNotifications,
  type HostRequests,
  type HostState,
  type WebviewNotifications,
  type WebviewRequests,
} from '../../protocol/promptlab';

export type PromptLabPeer = Peer<WebviewRequests, WebviewNotifications, HostRequests, HostNotifications>;

/** One live Prompt Lab webview (panel or side view) and its typed message channel. */
export class PromptLabSession extends Disposable {
  readonly peer: PromptLabPeer;

  constructor(webview: vscode.Webview, log: Logger, state: () => HostState) {
    super();
    this.peer = new Peer(hostInbound, (m) => void webview.postMessage(m), (e) => log.error(e));
    this.register(webview.onDidReceiveMessage((m: unknown) => void this.peer.receive(m)));
    this.register(
      this.peer.on('ready', ({ clientVersion }) => {
        log.info(`Prompt Lab webview ready (client ${clientVersion})`);
        this.peer.notify('init', state());
      }),
    );
  }

  override dispose(): void {
    this.peer.rejectPending('the Prompt Lab view was closed');
    super.dispose();
  }
}
