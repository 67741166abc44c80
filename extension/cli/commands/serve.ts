/**
 * `lathe serve`: the local engine as an OpenAI-compatible API, on loopback unless told
 * otherwise, so other tools (or another editor) can use the same model. A token
 * (`--token` / `LATHE_SERVE_TOKEN`) keeps other local users out; binding off loopback without
 * one prints a warning. Ctrl+C or SIGTERM stops it cleanly: running streams get a grace period.
 */
import { createLogger, stderrSink } from '../../core/common/logger';
import { OpenAiServer } from '../../core/backends/serve';
import { isLoopback } from '../../core/backends/serveGuards';
import { fimTemplate } from '../../core/completion/fimTemplates';
import { createEngine } from '../../core/engine/client/engine';
import { readModelFolder } from '../../core/models/folder';
import { intFlag, parseFlags } from '../args';
import type { CliCommand } from '../command';
import { dtypeFlag, modelDirFlag } from '../modelFlags';

const HELP = `usage: lathe serve [--model DIR] [--port 8000] [--host 127.0.0.1] [--dtype D] [--token T]
                   [--allowed-host NAME …] [--parallel 1] [--queue 16] [--grace-seconds 10] [--threads N]

Serves GET /v1/models, POST /v1/completions (FIM with "suffix"), POST /v1/chat/completions
(streaming with "stream": true), POST /tokenize and POST /apply-template over the local engine.

  --token T          require "Authorization: Bearer T" on every route (or LATHE_SERVE_TOKEN)
  --host H           address to bind (default 127.0.0.1; anything else without a token warns)
  --allowed-host N   another host name clients may use in the Host header (repeatable)
  --parallel N       generations at once (default 1)
  --queue N          requests that may wait; more get 503 with Retry-After (default 16)
  --grace-seconds S  on Ctrl+C/SIGTERM, how long running requests may finish (default 10)
  --threads N        intra-op threads of the engine (default: cores - 1)`;

export const serveCommand: CliCommand = {
  summary: 'serve the local model as an OpenAI-compatible HTTP API',
  async run(args, signal) {
    const parsed = parseFlags(
      args,
      {
        model: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        dtype: { type: 'string' },
        token: { type: 'string' },
        'allowed-host': { type: 'string', multiple: true },
        parallel: { type: 'string' },
        queue: { type: 'string' },
        'grace-seconds': { type: 'string' },
        threads: { type: 'string' },
        verbose: { type: 'boolean' },
      },
      HELP,
    );
    if (!parsed) return 0;
    const v = parsed.values;
    const modelDir = modelDirFlag(v.model);
    const folder = readModelFolder(modelDir);
    const dtype = dtypeFlag(v.dtype);
    const host = v.host ?? '127.0.0.1';
    const token = v.token ?? (process.env.LATHE_SERVE_TOKEN || undefined);
    const log = createLogger(stderrSink(v.verbose ? 'info' : 'warn'), 'serve');
    if (!isLoopback(host) && !token) {
      console.error(`lathe serve: warning: listening on ${host} without a token: anyone who can reach this machine can use the model; pass --token or set LATHE_SERVE_TOKEN`);
    }
    const engine = createEngine({ modelDir, dtype, threads: intFlag(v.threads, 'threads', 0), logger: log.child('engine') });
    try {
      const info = await engine.info(signal);
      const server = new OpenAiServer({
        generator: engine,
        modelId: folder.name,
        fim: folder.fim && fimTemplate(folder.fim),
        fimSpec: folder.fim ?? null,
        chatTemplate: info.hasChatTemplate,
        log,
        token,
        allowedHosts: v['allowed-host'],
        parallel: intFlag(v.parallel, 'parallel', 1, 1),
        maxQueue: intFlag(v.queue, 'queue', 16, 0),
      });
      const addr = await server.listen(intFlag(v.port, 'port', 8000), host);
      const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      console.log(`lathe serve: ${folder.name} at http://${shown}:${addr.port}/v1${token ? ' (token required)' : ''} (Ctrl+C stops)`);
      await new Promise<void>((resolveStop) => (signal.aborted ? resolveStop() : signal.addEventListener('abort', () => resolveStop(), { once: true })));
      const { running, waiting } = server.load;
      console.error(`lathe serve: stopping${running + waiting ? ` (${running} running, ${waiting} waiting)` : ''}`);
      await server.close(intFlag(v['grace-seconds'], 'grace-seconds', 10) * 1000);
      console.error('lathe serve: stopped');
      return 0;
    } finally {
      engine.dispose();
    }
  },
};
