/**
 * `lathe models list|pull|rm`: the models Lathe can use from the command line — the embedded
 * model, local folders, downloaded models and servers running on this machine — and the
 * model store (downloads from a Hugging Face-compatible hub with resume and sha256 checks).
 */
import { detectLocalServers, KNOWN_LOCAL_SERVERS, type Detection } from '../../core/backends/detect';
import { createNetwork, offlineFromEnv } from '../../core/common/network';
import { buildCatalog } from '../../core/backends/catalog';
import { DEFAULT_HUB_URL } from '../../core/models/hub/hubClient';
import { pullModel } from '../../core/models/hub/pull';
import { DTYPE_CHOICES } from '../../core/models/onnxFiles';
import { rolesSummary } from '../../core/models/roles';
import { ModelStore } from '../../core/models/store';
import { parseFlags } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';
import { dtypeFlag, modelDirFlag } from '../modelFlags';
import { ProgressBar } from '../progressBar';

const HELP = `usage: lathe models list [--json]
       lathe models pull REPO [--dtype D] [--json]
       lathe models rm NAME [--json]

  list         the embedded model, local folders, downloaded models and model servers running
               on this machine (Ollama 11434, LM Studio 1234, llama.cpp 8080, vLLM 8000), with
               the roles each can fill (completion: FIM tokens; chat: a chat template)
  pull REPO    download a hub repository (owner/name) into the store: the files of one weight
               variant, resumed after an interruption, checked against the hub's sha256
  rm NAME      remove a downloaded model (its folder name or repository id)

  --dtype D    ${DTYPE_CHOICES.join('|')} (default auto: int8, fp32, q4, fp16 in that order)
  --hub URL    a Hugging Face-compatible hub (default LATHE_HUB_URL or ${DEFAULT_HUB_URL});
               a token for gated repositories comes from LATHE_HUB_TOKEN or HF_TOKEN
  --store DIR  where models are kept (default LATHE_MODELS_HOME or ~/.local/share/lathe)
  --port N     list: also look for a server on this loopback port (repeatable)
  --offline    no network connection at all (also LATHE_OFFLINE=1): no probes, no downloads
  --json       print JSON`;

const FLAGS = {
  dtype: { type: 'string' },
  hub: { type: 'string' },
  store: { type: 'string' },
  port: { type: 'string', multiple: true },
  offline: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export const modelsCommand: CliCommand = {
  summary: 'list, download (resumable, sha256-checked) and remove models',
  async run(args, signal) {
    const parsed = parseFlags(args, FLAGS, HELP);
    if (!parsed) return 0;
    const v = parsed.values;
    const [sub, target, ...extra] = parsed.positionals;
    if (extra.length) throw new CliError(`unexpected argument '${extra[0]}'\n\n${HELP}`);
    const store = new ModelStore(v.store ?? ModelStore.defaultRoot());
    const network = createNetwork(v.offline === true || offlineFromEnv());
    switch (sub) {
      case 'list': {
        const ports = (v.port ?? []).map((p) => {
          const n = Number(p);
          if (!Number.isInteger(n) || n < 1 || n > 65535) throw new CliError(`--port must be a port number, got '${p}'`);
          return n;
        });
        const detection: Detection = await detectLocalServers({ network, signal, targets: [...KNOWN_LOCAL_SERVERS, ...ports.map((port) => ({ product: 'openai' as const, port }))] });
        let embeddedDir: string | undefined;
        try {
          embeddedDir = modelDirFlag(undefined);
        } catch {
          embeddedDir = undefined;
        }
        const catalog = buildCatalog({ embeddedDir, stores: [store], dtype: dtypeFlag(v.dtype), servers: detection.servers });
        const problems = [...catalog.problems, ...detection.problems.map((p) => `port ${p.target.port}: ${p.reason}`)];
        if (v.json) {
          const models = catalog.entries.map((e) => ({ kind: e.kind, name: e.name, location: e.choice.kind === 'server' ? e.choice.baseUrl : e.choice.kind === 'folder' ? e.choice.dir : embeddedDir, ...(e.repo ? { repo: e.repo } : {}), roles: e.roles, ...(e.problem ? { problem: e.problem } : {}) }));
          console.log(JSON.stringify({ store: store.root, offline: detection.offline, models, problems }, null, 2));
          return 0;
        }
        for (const e of catalog.entries) console.log(`${e.kind.padEnd(10)} ${e.name.padEnd(40)} ${e.problem ? `not usable: ${e.problem}` : `${rolesSummary(e.roles)}  ${e.detail}`}`);
        if (detection.offline) console.log('(offline mode: no probes for local servers)');
        for (const p of problems) console.log(`warning: ${p}`);
        return 0;
      }
      case 'pull': {
        if (!target) throw new CliError(`pull needs a repository id, e.g. lathe models pull onnx-community/Qwen2.5-Coder-0.5B-Instruct\n\n${HELP}`);
        const bar = new ProgressBar();
        const result = await pullModel({
          store,
          hubUrl: v.hub ?? process.env.LATHE_HUB_URL ?? DEFAULT_HUB_URL,
          network,
          repo: target,
          dtype: dtypeFlag(v.dtype),
          token: process.env.LATHE_HUB_TOKEN || process.env.HF_TOKEN || undefined,
          signal,
          log: (m) => {
            bar.done();
            console.error(m);
          },
          onProgress: (p) => {
            if (p.phase === 'downloading') bar.update(p.doneBytes, p.totalBytes, p.file ?? '');
            else if (p.phase === 'validating') {
              bar.update(p.doneBytes, p.totalBytes, 'checking the folder');
              bar.done();
            }
          },
        }).finally(() => bar.done());
        if (v.json) console.log(JSON.stringify(result, null, 2));
        else console.log(`${result.repo} (${result.dtype}) is in ${result.dir}: ${(result.downloadedBytes / 1e6).toFixed(1)} MB downloaded${result.resumedBytes ? `, ${(result.resumedBytes / 1e6).toFixed(1)} MB resumed` : ''}`);
        return 0;
      }
      case 'rm': {
        if (!target) throw new CliError(`rm needs a model name (see lathe models list)\n\n${HELP}`);
        const removed = await store.remove(target);
        if (v.json) console.log(JSON.stringify({ removed: removed.name, dir: removed.dir, bytes: removed.bytes }, null, 2));
        else console.log(`removed ${removed.name} (${(removed.bytes / 1e6).toFixed(1)} MB) from ${store.modelsDir}`);
        return 0;
      }
      default:
        throw new CliError(`${sub ? `unknown subcommand '${sub}'` : 'a subcommand is required'}\n\n${HELP}`);
    }
  },
};


