/**
 * `lathe bench image [--model DIR] [--steps 20] [--runs 3] [--threads N] --json`: the image
 * pipeline on the default image model at its native size. For guidance on (classifier-free,
 * the model's default scale) and off: total and per-step time, UNet time per call, decoder
 * time, and the share of time spent outside onnxruntime's session.run (pipeline overhead).
 * Medians of `runs` after one warm-up; plus the same generation through the image process the
 * editor uses (PNG encoding and messaging included; cold = its first call, loading the model).
 */
import { cpus, loadavg } from 'node:os';
import { intFlag, parseFlags } from '../args';
import type { CliCommand } from '../command';
import { imageModelDirFlag } from '../modelFlags';
import { createLogger, stderrSink } from '../../core/common/logger';
import { defaultCacheDir, defaultThreads } from '../../core/engine/shared/defaults';
import { createImageGenerator } from '../../core/imagegen/imageGenerator';
import { generateImages, type ImageResult } from '../../core/imagegen/pipeline';
import { SdModel } from '../../core/imagegen/sdModel';

const HELP = 'usage: lathe bench image [--model DIR] [--steps N] [--runs N] [--threads N] [--prompt TEXT] --json';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

function summary(results: ImageResult[]) {
  const m = (f: (r: ImageResult) => number) => median(results.map(f));
  const total = m((r) => r.timings.totalMs);
  const overhead = m((r) => r.timings.overheadMs);
  return {
    ms_total: r1(total),
    ms_per_step: r1(m((r) => r.timings.msPerStep)),
    unet_ms_per_call: r1(m((r) => r.timings.unetMs / Math.max(1, r.timings.unetCalls))),
    unet_calls: results[0].timings.unetCalls,
    decoder_ms: r1(m((r) => r.timings.decoderMs)),
    text_encoder_ms: r1(m((r) => r.timings.textMs)),
    run_ms: r1(m((r) => r.timings.runMs)),
    overhead_ms: r1(overhead),
    overhead_share: r3(m((r) => r.timings.overheadMs / r.timings.totalMs)),
    runs_ms_total: results.map((r) => r1(r.timings.totalMs)),
  };
}

export const imageBench: CliCommand = {
  summary: 'image pipeline timings on the default image model',
  async run(args, signal) {
    const parsed = parseFlags(
      args,
      { model: { type: 'string' }, steps: { type: 'string' }, runs: { type: 'string' }, threads: { type: 'string' }, prompt: { type: 'string' }, json: { type: 'boolean' } },
      HELP,
    );
    if (!parsed) return 0;
    const v = parsed.values;
    const modelDir = imageModelDirFlag(v.model);
    const steps = intFlag(v.steps, 'steps', 20, 1);
    const runs = intFlag(v.runs, 'runs', 3, 1);
    const threads = intFlag(v.threads, 'threads', 0);
    const prompt = v.prompt ?? 'a red heart';
    const log = createLogger(stderrSink('warn'), 'bench');
    const loadStart = performance.now();
    const model = await SdModel.load({ modelDir, threads, cacheDir: defaultCacheDir() }, log);
    const loadMs = performance.now() - loadStart;
    const isAborted = () => signal.aborted;
    try {
      const guidance = Math.max(model.spec.defaults.guidance, 1.5);
      const base = { prompt, negativePrompt: 'blurry', steps, seed: 1234 };
      await generateImages(model, { ...base, steps: 2, guidance }, { isAborted }); // warm-up: first-run allocations
      const guided: ImageResult[] = [];
      const unguided: ImageResult[] = [];
      for (let i = 0; i < runs; i++) {
        guided.push(await generateImages(model, { ...base, guidance }, { isAborted }));
        unguided.push(await generateImages(model, { ...base, guidance: 0 }, { isAborted }));
      }
      const g = summary(guided);
      const u = summary(unguided);
      const gen = createImageGenerator({ logger: log, threads, cacheDir: defaultCacheDir(), idleUnloadMs: 0 });
      let worker: { ms_total: number; ms_cold_total: number } | null = null;
      try {
        const c0 = performance.now();
        await gen.generate(modelDir, { ...base, guidance }, { signal });
        const cold = performance.now() - c0;
        const warm: number[] = [];
        for (let i = 0; i < runs; i++) {
          const w0 = performance.now();
          await gen.generate(modelDir, { ...base, guidance }, { signal });
          warm.push(performance.now() - w0);
        }
        worker = { ms_total: r1(median(warm)), ms_cold_total: r1(cold) };
      } finally {
        gen.dispose();
      }
      const p = guided[0].params;
      const out = {
        model: model.spec.name,
        model_dir: model.spec.dir,
        width: p.width,
        height: p.height,
        steps,
        scheduler: p.scheduler,
        guidance,
        threads: threads || defaultThreads(),
        runs,
        load_ms: r1(loadMs),
        ...g,
        guidance_off: u,
        worker,
        targets: { ms_total_le_1000: g.ms_total <= 1000, overhead_share_le_0_05: g.overhead_share <= 0.05 },
        cpus: cpus().length,
        load_average: loadavg().map((x) => Math.round(x * 100) / 100),
      };
      console.log(v.json ? JSON.stringify(out, null, 2) : out);
      return 0;
    } finally {
      await model.dispose();
    }
  },
};
