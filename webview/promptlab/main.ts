import { h, registerComponents } from '../components/toolkit';
import { Peer } from '../../extension/protocol/peer';
import {
  webviewInbound,
  type HostNotifications,
  type HostRequests,
  type HostState,
  type WebviewNotifications,
  type WebviewRequests,
} from '../../extension/protocol/promptlab';
import { vscodeApi } from '../vscodeApi';

const CLIENT_VERSION = '1';

function renderHeader(app: HTMLElement, state: HostState): void {
  app.replaceChildren(
    h('header', { class: 'pl-header' },
      h('h2', {}, 'Prompt Lab'),
      h('vscode-tag', { id: 'model-name', title: 'model' }, state.modelName),
      h('span', { id: 'model-state', class: `pl-state pl-state-${state.modelState}` }, state.modelState),
    ),
  );
  app.dataset.state = 'ready';
}

function main(): void {
  registerComponents();
  const app = document.getElementById('app')!;
  const api = vscodeApi<unknown>();
  const peer = new Peer<HostRequests, HostNotifications, WebviewRequests, WebviewNotifications>(
    webviewInbound,
    (m) => api.postMessage(m),
    (e) => console.error(`[promptlab] ${e}`),
  );
  window.addEventListener('message', (ev: MessageEvent<unknown>) => void peer.receive(ev.data));
  peer.on('init', (state) => renderHeader(app, state));
  peer.notify('ready', { clientVersion: CLIENT_VERSION });
}

main();
