import { promptLabContract } from '../../extension/protocol/promptlab';
import { registerComponents } from '../components/toolkit';
import { connectToHost } from '../hostChannel';
import { vscodeApi } from '../vscodeApi';
import { PromptLabApp } from './app';
import type { PersistedState } from './state';

const CLIENT_VERSION = '2';

function main(): void {
  registerComponents();
  const root = document.getElementById('app')!;
  let app: PromptLabApp | undefined;
  // The first `init` builds the view; later ones (the model's state changed) refresh its header.
  connectToHost(promptLabContract, {
    name: 'promptlab',
    clientVersion: CLIENT_VERSION,
    onInit: (state, peer) => (app ??= new PromptLabApp(root, peer, vscodeApi<PersistedState>())).init(state),
  });
}

main();
