/**
 * The template worker thread: renders one request at a time with the bounded renderer and
 * replies with the text or the error (its reason and location, so the host rebuilds it).
 */
import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../../../../base/errorText';
import { PromptLabError } from '../../errors';
import { TemplateLimitError } from '../limits';
import { compileTemplate } from '../render';
import type { RenderMessage, RenderReply } from './protocol';

function reply(message: RenderMessage): RenderReply {
  try {
    return { id: message.id, text: compileTemplate(message.source, message.origin).render(message.values, message.limits) };
  } catch (err) {
    if (err instanceof TemplateLimitError) return { id: message.id, error: { reason: err.reason, location: err.location, limit: err.limit } };
    if (err instanceof PromptLabError) return { id: message.id, error: { reason: err.reason, location: err.location } };
    return { id: message.id, error: { reason: errorMessage(err), location: { file: message.origin.file } } };
  }
}

parentPort?.on('message', (message: RenderMessage) => parentPort?.postMessage(reply(message)));
// Loaded: the host starts its watchdogs from here, so start-up time never counts as render time.
parentPort?.postMessage({ ready: true });
