/**
 * Worker thread that counts tokens with a model's tokenizer (`workerData.modelDir`), so that
 * counting a large dataset does not occupy the thread that started it. Speaks
 * TOKEN_COUNT_PROTOCOL; malformed requests are answered with an error, never thrown.
 */
import { workerData } from 'node:worker_threads';
import { readModelFolder } from '../../models/folder';
import { errorMessage } from '../../../base/errorText';
import { currentPeer, serveRpc } from '../../common/rpc/server';
import { TOKEN_COUNT_PROTOCOL } from './tokenCountProtocol';

const dir = (workerData as { modelDir?: unknown } | undefined)?.modelDir;
if (typeof dir !== 'string') throw new Error('tokenWorker needs workerData.modelDir');
const tokenizer = readModelFolder(dir).tokenizer();

serveRpc(
  currentPeer(),
  TOKEN_COUNT_PROTOCOL,
  { count: ({ texts }) => texts.map((t) => tokenizer.countTokens(t)) },
  { errorInfo: (err) => ({ code: 'count-failed', message: errorMessage(err) }) },
);
