/**
 * What the Prompt Lab's model can do, under the header: a tag with the capabilities (chat or
 * completion only, fill-in-the-middle, window) and, for a model that cannot follow chat
 * prompts, a visible note with one click to choose a chat model or a chat server.
 */
import type { CapabilityDto } from '../../extension/protocol/promptlab';
import { button } from '../components/form';
import { h } from '../components/toolkit';

export class CapabilityNote {
  readonly tag = h('vscode-tag', { id: 'model-capability', title: 'what this model can do' });
  readonly element: HTMLElement;
  private readonly text = h('span', { class: 'pl-capability-text' });

  constructor(choose: (via: 'picker' | 'server') => void) {
    this.element = h(
      'div',
      { id: 'capability-note', class: 'pl-capability-note', role: 'note' },
      this.text,
      h(
        'div',
        { class: 'pl-toolbar' },
        button('Choose a Chat Model…', { id: 'choose-chat-model', title: 'Lathe: Select Model, for the chat model', onClick: () => choose('picker') }),
        button('Use a Chat Server…', { id: 'configure-chat-server', appearance: 'secondary', title: 'Settings: lathe.chat.backend.url (an OpenAI-compatible server)', onClick: () => choose('server') }),
      ),
    );
    this.element.hidden = true;
  }

  show(c: CapabilityDto): void {
    this.tag.textContent = c.summary;
    this.tag.dataset.chat = String(c.chat);
    this.text.textContent = c.note ?? '';
    this.element.hidden = c.note === undefined;
  }
}
