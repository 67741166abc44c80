/**
 * The template worker thread: renders one request at a time with the bounded renderer and
 * answers with the text or the error (its reason and location, so the host rebuilds it).
 */
import { errorMessage } from '../../../../base/errorText';
import { currentPeer, serveRpc } from '../../../common/rpc/server';
import { PromptLabError } from '../../errors';
import { TemplateLimitError } from '../limits';
import { compileTemplate } from '../render';
import { TEMPLATE_PROTOCOL, type RenderOutcome, type RenderParams } from './protocol';

function render(message: RenderParams): RenderOutcome {
  try {
    return { text: compileTemplate(message.source, message.origin).render(message.values, message.limits) };
  } catch (err) {
    if (err instanceof TemplateLimitError) return { error: { reason: err.reason, location: err.location, limit: err.limit } };
    if (err instanceof PromptLabError) return { error: { reason: err.reason, location: err.location } };
    return { error: { reason: errorMessage(err), location: { file: message.origin.file } } };
  }
}

const server = serveRpc(currentPeer(), TEMPLATE_PROTOCOL, { render }, { errorInfo: (err) => ({ code: 'render-failed', message: errorMessage(err) }) });
// Loaded: the host starts its watchdogs from here, so start-up time never counts as render time.
server.emit('ready', {});
