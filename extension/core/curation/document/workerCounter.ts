/**
 * Client side of the token-counting worker thread: batches of texts in, counts out, through
 * the RPC layer (every reply checked before use). Tokenizing is pure JavaScript, so a thread
 * is enough here (the engine's native work runs in a child process instead).
 */
import { RpcClient } from '../../common/rpc/client';
import { startThread } from '../../common/rpc/threadChannel';
import { TOKEN_COUNT_PROTOCOL, type TokenCountEvents, type TokenCountMethods } from './tokenCountProtocol';

/** Counts many texts at once, off the calling thread. */
export interface BatchTokenCounter {
  readonly name: string;
  countMany(texts: readonly string[]): Promise<number[]>;
  dispose(): void;
}

export class WorkerTokenCounter implements BatchTokenCounter {
  private readonly client: RpcClient<TokenCountMethods, TokenCountEvents>;

  /** `script`: dist/curation-tokens.js, or tokenWorker.ts under tsx. */
  constructor(script: string, modelDir: string, readonly name: string) {
    const channel = startThread({ path: script }, { workerData: { modelDir }, unref: true });
    this.client = new RpcClient(channel, TOKEN_COUNT_PROTOCOL, {
      remoteError: (info) => new Error(info.message),
      failure: (message) => new Error(message),
    });
  }

  countMany(texts: readonly string[]): Promise<number[]> {
    return this.client.request('count', { texts }).result;
  }

  dispose(): void {
    void this.client.close(new Error('the token counter was disposed'), 1000);
  }
}
