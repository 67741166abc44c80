/**
 * `lathe bench serve [--model DIR] [--requests 16] [--concurrency 1,4,16] [--max-tokens 16] --json`:
 * starts `lathe serve` (with a token) on a free loopback port — or, with `--url`, uses a server
 * that is already running (vLLM, llama.cpp server, another `lathe serve`) — then for each
 * concurrency level sends a bounded number of requests from that many clients at once, half
 * fill-in-the-middle completions built like the editor's and half streaming (chat when the
 * server can), and reports requests, errors, p50/p95 latency, generated tokens per second and
 * the server's peak memory (its process and the engine's; local only), overall and per level.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { percentileSorted } from '../../../base/percentile';
import { readModelList } from '../../../core/backends/modelList';
import { guessFimFamily } from '../../../core/backends/serverRoles';
import { fimTemplate } from '../../../core/completion/fimTemplates';
import { FAMILY_FIM } from '../../../core/models/fim';
import { intFlag, parseFlags } from '../../args';
import type { CliCommand } from '../../command';
import { CliError } from '../../errors';
import { dtypeFlag, modelDirFlag } from '../../modelFlags';
import { sendOne, type LoadTarget, type RequestOutcome } from './loadClient';
import { RssSampler } from './processRss';

const HELP = `usage: lathe bench serve [--model DIR] [--dtype D] [--threads N] [--requests N] [--concurrency 1,4,16] [--max-tokens N] --json
       lathe bench serve --url http://gpu-box:8000/v1 [--api-key KEY] [--served-model NAME] [--fim FAMILY|none] [--chat on|off] … --json

  --url U          benchmark a running OpenAI-compatible server instead of starting lathe serve
  --api-key K      its key (or LATHE_BENCH_API_KEY)
  --served-model   the model to request (default: the server's first)
  --fim F          the FIM family to build completion prompts with (default: what lathe serve
                   reports, else the family in the model's name, else plain completions)
  --chat on|off    stream chat requests (default: on, except a lathe serve model without a chat template)`;

const r1 = (x: number) => Math.round(x * 10) / 10;

interface LevelReport {
  requests: number;
  errors: number;
  p50_ms: number;
  p95_ms: number;
  ttft_p50_ms: number | null;
  tokens_per_s: number;
  max_rss_mb: number | null;
  wall_ms: number;
  first_error?: string;
}

function report(outcomes: readonly RequestOutcome[], wallMs: number, rss: number | undefined): LevelReport {
  const ok = outcomes.filter((o) => o.ok);
  const ms = ok.map((o) => o.ms).sort((a, b) => a - b);
  const ttft = ok.flatMap((o) => (o.ttftMs === undefined ? [] : [o.ttftMs])).sort((a, b) => a - b);
  const tokens = ok.reduce((n, o) => n + o.tokens, 0);
  const firstError = outcomes.find((o) => !o.ok)?.error;
  return {
    requests: outcomes.length,
    errors: outcomes.length - ok.length,
    p50_ms: r1(percentileSorted(ms, 0.5)),
    p95_ms: r1(percentileSorted(ms, 0.95)),
    ttft_p50_ms: ttft.length ? r1(percentileSorted(ttft, 0.5)) : null,
    tokens_per_s: r1((tokens * 1000) / Math.max(1, wallMs)),
    max_rss_mb: rss === undefined ? null : r1(rss),
    wall_ms: r1(wallMs),
    ...(firstError ? { first_error: firstError } : {}),
  };
}

/** Starts `lathe serve` from this same CLI and resolves with its base URL once it listens. */
function startServe(args: string[]): Promise<{ proc: ChildProcess; baseUrl: string }> {
  const proc = spawn(process.execPath, [process.argv[1], 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(d.toString());
      if (m) resolve({ proc, baseUrl: m[1] });
    });
    proc.once('exit', (code) => reject(new CliError(`lathe serve exited with ${code} before listening: ${err.trim().split('\n').pop() ?? ''}`, 1)));
  });
}

async function runLevel(target: LoadTarget, clients: number, total: number, offset: number, signal: AbortSignal): Promise<{ outcomes: RequestOutcome[]; wallMs: number }> {
  const outcomes: RequestOutcome[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total && !signal.aborted) {
        const i = next++;
        outcomes.push(await sendOne(target, offset + i, i % 2 === 1, signal));
      }
    }),
  );
  return { outcomes, wallMs: performance.now() - t0 };
}

export const serveBench: CliCommand = {
  summary: 'lathe serve under 1/4/16 concurrent clients: latency, tokens/s, errors, memory',
  async run(args, signal) {
    const parsed = parseFlags(
      args,
      {
        model: { type: 'string' },
        dtype: { type: 'string' },
        requests: { type: 'string' },
        concurrency: { type: 'string' },
        'max-tokens': { type: 'string' },
        threads: { type: 'string' },
        url: { type: 'string' },
        'api-key': { type: 'string' },
        'served-model': { type: 'string' },
        fim: { type: 'string' },
        chat: { type: 'string' },
        json: { type: 'boolean' },
      },
      HELP,
    );
    if (!parsed) return 0;
    const v = parsed.values;
    const perLevel = intFlag(v.requests, 'requests', 16, 1);
    const maxTokens = intFlag(v['max-tokens'], 'max-tokens', 16, 1);
    const levels = (v.concurrency ?? '1,4,16').split(',').map((x) => {
      const n = Number(x.trim());
      if (!Number.isInteger(n) || n < 1 || n > 256) throw new CliError(`--concurrency takes integers in [1, 256], got '${x}'`);
      return n;
    });
    if (v.chat !== undefined && v.chat !== 'on' && v.chat !== 'off') throw new CliError(`--chat must be on or off, got '${v.chat}'`);
    if (v.fim !== undefined && v.fim !== 'none' && !(v.fim in FAMILY_FIM)) throw new CliError(`--fim must be none or one of ${Object.keys(FAMILY_FIM).join(', ')}, got '${v.fim}'`);
    const dtype = dtypeFlag(v.dtype);
    let server: { proc: ChildProcess; baseUrl: string } | undefined;
    let baseUrl: string;
    let token: string | undefined;
    if (v.url) {
      baseUrl = v.url.replace(/\/+$/, '');
      token = v['api-key'] ?? process.env.LATHE_BENCH_API_KEY;
    } else {
      token = randomBytes(16).toString('hex');
      const serveArgs = ['--model', modelDirFlag(v.model), '--dtype', dtype, '--port', '0', '--token', token, '--queue', String(Math.max(...levels)), ...(v.threads ? ['--threads', v.threads] : [])];
      server = await startServe(serveArgs);
      baseUrl = server.baseUrl;
    }
    const proc = server?.proc;
    const sampler = proc?.pid ? new RssSampler(proc.pid) : undefined;
    try {
      const res = await fetch(`${baseUrl}/models`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal });
      if (!res.ok) throw new CliError(`${baseUrl}/models answered HTTP ${res.status}${res.status === 401 ? ' (pass --api-key)' : ''}`, 1);
      const listed = await readModelList(res, `${baseUrl}/models`);
      const model = v['served-model'] ? listed.find((m) => m.id === v['served-model']) : listed[0];
      if (!model) throw new CliError(`${baseUrl} does not serve ${v['served-model'] ? `'${v['served-model']}'` : 'any model'} (it has: ${listed.map((m) => m.id).join(', ') || 'none'})`, 1);
      const family = v.fim === 'none' ? undefined : v.fim ? (v.fim as keyof typeof FAMILY_FIM) : guessFimFamily(model.id);
      const fimSpec = v.fim === 'none' ? undefined : (v.fim ? undefined : model.fim) ?? (family ? FAMILY_FIM[family] : undefined);
      const chat = v.chat ? v.chat === 'on' : model.chatTemplate ?? true;
      const target: LoadTarget = { baseUrl, token, model: model.id, maxTokens, chat, fim: fimSpec ? fimTemplate(fimSpec) : undefined };
      // One warm-up request so that loading the model is not in the first level's numbers.
      await sendOne(target, 0, false, signal);
      const all: RequestOutcome[] = [];
      let wall = 0;
      const byLevel: Record<string, LevelReport> = {};
      let offset = 1;
      for (const clients of levels) {
        const levelRss = proc?.pid ? new RssSampler(proc.pid) : undefined;
        const total = Math.max(perLevel, clients);
        const { outcomes, wallMs } = await runLevel(target, clients, total, offset, signal);
        offset += total;
        byLevel[String(clients)] = report(outcomes, wallMs, levelRss?.max());
        levelRss?.stop();
        all.push(...outcomes);
        wall += wallMs;
      }
      const out = {
        bench: 'serve',
        server: v.url ? baseUrl : 'lathe serve (started here)',
        model: model.id,
        dtype: v.url ? null : dtype,
        context_length: model.contextLength ?? null,
        max_tokens: maxTokens,
        completions: target.fim ? `fill-in-the-middle (${target.fim.family})` : 'plain prompts (no FIM template known)',
        streaming: target.chat ? 'chat' : 'completions (no chat template)',
        cpus: cpus().length,
        loadavg_1m: r1(loadavg()[0]),
        ...report(all, wall, sampler?.max()),
        concurrency: byLevel,
      };
      console.log(v.json ? JSON.stringify(out, null, 2) : JSON.stringify(out));
      return 0;
    } finally {
      sampler?.stop();
      if (proc) {
        proc.kill('SIGTERM');
        await new Promise((r) => (proc.exitCode !== null ? r(undefined) : proc.once('exit', r)));
      }
    }
  },
};
