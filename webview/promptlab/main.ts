import { Peer } from '../../extension/protocol/peer';
import { webviewInbound } from '../../extension/protocol/promptlab';
import { registerComponents } from '../components/toolkit';
import { vscodeApi } from '../vscodeApi';
import { PromptLabApp, type PromptLabClient } from './app';
import type { PersistedState } from './state';

const CLIENT_VERSION = '2';

function main(): void {
  registerComponents();
  const root = document.getElementById('app')!;
  const api = vscodeApi<PersistedState>();
  const peer: PromptLabClient = new Peer(webviewInbound, (m) => api.postMessage(m), (e) => console.error(`[promptlab] ${e}`));
  const app = new PromptLabApp(root, peer, api);
  window.addEventListener('message', (ev: MessageEvent<unknown>) => void peer.receive(ev.data));
  peer.on('init', (state) => app.init(state));
  peer.notify('ready', { clientVersion: CLIENT_VERSION });
}

main();
