/**
 * What the Prompt Lab's model can do, said plainly in its header: chat (it has a chat template,
 * or it is a server that renders one), completion only (it continues text; a chat-style prompt
 * reaches it as a plain-text transcript), and fill-in-the-middle. Derived from what the one
 * folder reader found in the model folder, or from the server's model entry.
 */
import type { ModelFolder } from '../models/folder';

export interface ModelCapability {
  /** The model follows chat prompts (a chat template, or a server's chat rendering). */
  readonly chat: boolean;
  /** The model has fill-in-the-middle tokens (code completion in the editor). */
  readonly fim: boolean;
  /** The context window in tokens, when known. */
  readonly contextLength?: number;
  /** "completion only · fill-in-the-middle · 384-token window". */
  readonly summary: string;
  /** For a model that cannot follow chat prompts: what that means here and what to do. */
  readonly note?: string;
}

/** Where the Prompt Lab's model runs: a local folder (as read) or an OpenAI-compatible server. */
export type CapabilitySource =
  | { readonly kind: 'folder'; readonly folder: Pick<ModelFolder, 'name' | 'chatTemplate' | 'fim' | 'config'> }
  | {
      readonly kind: 'server';
      readonly name: string;
      /** The server's word on a chat template (lathe serve reports it); undefined: a chat server is assumed. */
      readonly chatTemplate?: boolean;
      readonly fim: boolean;
      readonly contextLength?: number;
    }
  /** No model could be read (still loading, or failed): nothing is claimed. */
  | { readonly kind: 'unknown'; readonly name: string };

export function modelCapability(source: CapabilitySource): ModelCapability {
  if (source.kind === 'unknown') return { chat: false, fim: false, summary: 'capabilities unknown until the model loads' };
  const chat = source.kind === 'folder' ? source.folder.chatTemplate !== undefined : source.chatTemplate !== false;
  const fim = source.kind === 'folder' ? source.folder.fim !== undefined : source.fim;
  const contextLength = source.kind === 'folder' ? source.folder.config.contextLength : source.contextLength;
  const name = source.kind === 'folder' ? source.folder.name : source.name;
  const summary = [chat ? 'chat' : 'completion only', ...(fim ? ['fill-in-the-middle'] : []), ...(contextLength ? [`${contextLength}-token window`] : [])].join(' · ');
  if (chat) return { chat, fim, contextLength, summary };
  const what = fim ? 'code-completion model' : 'text-completion model';
  const small = contextLength !== undefined && contextLength <= 2048 ? `small ${what}` : what;
  const continues = fim ? 'it continues code and text' : 'it continues text';
  const note =
    `${name} is a ${small} without a chat template: ${continues}, and it cannot follow instructions or answer questions. ` +
    'Chat-style prompts (system:/user:/assistant:) are sent to it as one plain-text transcript that it continues, so expect continuations, not answers. ' +
    'To try prompts as instructions, choose a chat model: a model folder with a chat template, or an OpenAI-compatible server.';
  return { chat, fim, contextLength, summary, note };
}
