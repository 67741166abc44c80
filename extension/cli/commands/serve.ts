/**
 * `lathe serve`: the local engine as an OpenAI-compatible API on loopback, so other tools
 * (or another editor) can use the same model. Ctrl+C stops it.
 */
import { createLogger, stderrSink } from '../../core/common/logger';
import { OpenAiServer } from '../../core/backends/serve';
import { fimTemplate } from '../../core/completion/fimTemplates';
import { createEngine } from '../../core/engine/client/engine';
import { readModelFolder } from '../../core/models/folder';
import { intFlag, parseFlags } from '../args';
import type { CliCommand } from '../command';
import { dtypeFlag, modelDirFlag } from '../modelFlags';

const HELP = `usage: lathe serve [--model DIR] [--port 8000] [--host 127.0.0.1] [--dtype D]

Serves GET /v1/models, POST /v1/completions (FIM with "suffix") and POST /v1/chat/completions
(streaming with "stream": true) over the local engine.`;

export const serveCommand: CliCommand = {
  summary: 'serve the local model as an OpenAI-compatible HTTP API',
  async run(args, signal) {
    const parsed = parseFlags(args, { model: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, dtype: { type: 'string' }, verbose: { type: 'boolean' } }, HELP);
    if (!parsed) return 0;
    const v = parsed.values;
    const modelDir = modelDirFlag(v.model);
    const folder = readModelFolder(modelDir);
    const dtype = dtypeFlag(v.dtype);
    const log = createLogger(stderrSink(v.verbose ? 'info' : 'warn'), 'serve');
    const engine = createEngine({ modelDir, dtype, logger: log.child('engine') });
    const info = await engine.info(signal);
    const server = new OpenAiServer({ generator: engine, modelId: folder.name, fim: folder.fim && fimTemplate(folder.fim), log });
    const addr = await server.listen(intFlag(v.port, 'port', 8000), v.host ?? '127.0.0.1');
    console.log(`lathe serve: ${info.id} at http://${addr.address}:${addr.port}/v1 (Ctrl+C stops)`);
    await new Promise<void>((resolveStop) => signal.addEventListener('abort', () => resolveStop(), { once: true }));
    await server.close();
    engine.dispose();
    return 0;
  },
};
