/**
 * `lathe image`: text → PNG with the local image pipeline (the embedded image model by default,
 * or any Stable Diffusion ONNX folder). The parameters go into the PNG's text chunks; `--from`
 * re-runs an earlier PNG's parameters (flags given alongside override them). The PNG is written
 * atomically: an interrupted run leaves no partial file.
 */
import { basename, extname, join, dirname, resolve } from 'node:path';
import { createLogger, stderrSink } from '../../core/common/logger';
import { defaultCacheDir } from '../../core/engine/shared/defaults';
import { ImageGenError } from '../../core/imagegen/errors';
import { parseSize, type ImageRequest } from '../../core/imagegen/params';
import { generateImages } from '../../core/imagegen/pipeline';
import { readPngMetadataFile, resultPng, writePngFile } from '../../core/imagegen/png';
import { SCHEDULER_NAMES, type SchedulerName } from '../../core/imagegen/schedulerConfig';
import { SdModel } from '../../core/imagegen/sdModel';
import { intFlag, numberFlag, parseFlags, requireFlag } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';
import { imageModelDirFlag } from '../modelFlags';

const HELP = `usage: lathe image --prompt TEXT --out FILE.png [options]

  --prompt TEXT        what to draw
  --negative TEXT      what to steer away from (classifier-free guidance)
  --model DIR          Stable Diffusion ONNX folder (default: the embedded models/lathe-image-mini)
  --steps N            denoising steps (default: the model's)
  --guidance G         guidance scale; ≤ 1 turns the negative pass off (default: the model's)
  --scheduler S        ${SCHEDULER_NAMES.join('|')} (default: the model's)
  --seed S             0 … 4294967295 (default: random; printed with --json)
  --size WxH           multiples of the model's latent factor (default: its native size)
  --batch N            images from seeds S, S+1, …; FILE.png, FILE-2.png, …
  --from FILE.png      re-run the parameters stored in a Lathe PNG (other flags override them)
  --threads N          intra-op threads (default: cores - 1)
  --out FILE.png       where to write the image
  --verbose            pipeline logs on stderr
  --json               print ms_total, ms_per_step, seed, steps, model and more as JSON`;

function schedulerFlag(value: string | undefined): SchedulerName | undefined {
  if (value === undefined) return undefined;
  if (!SCHEDULER_NAMES.includes(value as SchedulerName)) throw new CliError(`--scheduler must be one of ${SCHEDULER_NAMES.join(', ')}, got '${value}'`);
  return value as SchedulerName;
}

/** FILE.png for image 1, FILE-2.png … for the rest of a batch. */
export function batchFile(out: string, index: number): string {
  if (index === 0) return out;
  const ext = extname(out) || '.png';
  return join(dirname(out), `${basename(out, extname(out))}-${index + 1}${ext}`);
}

export const imageCommand: CliCommand = {
  summary: 'generate an image (PNG with its parameters) with the local image model',
  async run(args, signal) {
    const parsed = parseFlags(
      args,
      {
        prompt: { type: 'string' },
        negative: { type: 'string' },
        model: { type: 'string' },
        steps: { type: 'string' },
        guidance: { type: 'string' },
        scheduler: { type: 'string' },
        seed: { type: 'string' },
        size: { type: 'string' },
        batch: { type: 'string' },
        from: { type: 'string' },
        threads: { type: 'string' },
        out: { type: 'string' },
        verbose: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      HELP,
    );
    if (!parsed) return 0;
    const v = parsed.values;
    const out = resolve(requireFlag(v.out, 'out'));
    try {
      const from = v.from ? await readPngMetadataFile(resolve(v.from)) : undefined;
      const size = v.size ? parseSize(v.size, '--size') : from ? { width: from.width, height: from.height } : undefined;
      const request: ImageRequest = {
        prompt: v.prompt ?? from?.prompt ?? requireFlag(v.prompt, 'prompt'),
        negativePrompt: v.negative ?? from?.negativePrompt,
        steps: v.steps === undefined ? from?.steps : intFlag(v.steps, 'steps', 0),
        guidance: v.guidance === undefined ? from?.guidance : numberFlag(v.guidance, 'guidance', 0),
        scheduler: schedulerFlag(v.scheduler) ?? from?.scheduler,
        seed: v.seed === undefined ? from?.seed : intFlag(v.seed, 'seed', 0),
        batch: v.batch === undefined ? undefined : intFlag(v.batch, 'batch', 1, 1),
        ...size,
      };
      const modelDir = imageModelDirFlag(v.model);
      const model = await SdModel.load({ modelDir, threads: intFlag(v.threads, 'threads', 0), cacheDir: defaultCacheDir() }, createLogger(stderrSink(v.verbose ? 'info' : 'warn'), 'image'));
      try {
        const result = await generateImages(model, request, { isAborted: () => signal.aborted });
        const files: string[] = [];
        for (let i = 0; i < result.images.length; i++) {
          const file = batchFile(out, i);
          await writePngFile(file, resultPng(result, i));
          files.push(file);
        }
        if (result.truncated?.prompt) console.error(`warning: the prompt was truncated to the text encoder's limit; dropped: "${result.truncated.prompt}"`);
        if (result.truncated?.negativePrompt) console.error(`warning: the negative prompt was truncated; dropped: "${result.truncated.negativePrompt}"`);
        const t = result.timings;
        if (v.json) {
          console.log(
            JSON.stringify(
              {
                files,
                model: result.model,
                model_dir: model.spec.dir,
                seed: result.params.seed,
                seeds: result.images.map((img) => img.seed),
                steps: result.params.steps,
                guidance: result.params.guidance,
                scheduler: result.params.scheduler,
                width: result.params.width,
                height: result.params.height,
                ms_total: +t.totalMs.toFixed(1),
                ms_per_step: +t.msPerStep.toFixed(2),
                unet_ms: +t.unetMs.toFixed(1),
                decoder_ms: +t.decoderMs.toFixed(1),
                text_encoder_ms: +t.textMs.toFixed(1),
                truncated: result.truncated ?? null,
              },
              null,
              2,
            ),
          );
        } else {
          console.log(`${files.join(', ')}  (${result.model}, seed ${result.params.seed}, ${result.params.steps} steps, ${t.totalMs.toFixed(0)} ms)`);
        }
        return 0;
      } finally {
        await model.dispose();
      }
    } catch (err) {
      if (err instanceof ImageGenError) throw new CliError(err.message, err.code === 'aborted' ? 130 : err.code === 'invalid-parameter' ? 2 : 1);
      throw err;
    }
  },
};
