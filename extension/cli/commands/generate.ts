/**
 * `lathe generate`: run the local engine on one prompt. Streams the text to stdout, or prints
 * the whole GenerateResult as JSON with --json.
 */
import { resolve } from 'node:path';
import { createLogger, stderrSink } from '../../core/common/logger';
import { createEngine } from '../../core/engine/client/engine';
import { EngineError } from '../../core/engine/shared/errors';
import { DTYPE_CHOICES } from '../../core/models/onnxFiles';
import { defaultCacheDir } from '../../core/engine/shared/defaults';
import { intFlag, numberFlag, parseFlags, requireFlag } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';
import { checkModelFolder, dtypeFlag } from '../modelFlags';

const HELP = `usage: lathe generate --model DIR --prompt TEXT [options]

  --model DIR          model folder (config.json, tokenizer.json, onnx/model*.onnx)
  --prompt TEXT        raw prompt text (no chat template)
  --chat               wrap the prompt as a user message with the model's chat template
  --max-tokens N       tokens to generate (default 128)
  --temperature T      0 = greedy (default: the model's generation_config)
  --top-p P, --top-k K, --min-p P, --repetition-penalty R
  --seed S             seed for sampling
  --stop TEXT          stop sequence (repeatable)
  --dtype D            ${DTYPE_CHOICES.join('|')} (default auto)
  --threads N          intra-op threads (default: cores - 1)
  --logprobs N         per-token logprobs and N alternatives (with --json)
  --verbose            engine logs on stderr
  --json               print the result as JSON`;

export const generateCommand: CliCommand = {
  summary: 'generate text with the local ONNX engine',
  async run(args, signal) {
    const parsed = parseFlags(
      args,
      {
        model: { type: 'string' },
        prompt: { type: 'string' },
        chat: { type: 'boolean' },
        'max-tokens': { type: 'string' },
        temperature: { type: 'string' },
        'top-p': { type: 'string' },
        'top-k': { type: 'string' },
        'min-p': { type: 'string' },
        'repetition-penalty': { type: 'string' },
        seed: { type: 'string' },
        stop: { type: 'string', multiple: true },
        dtype: { type: 'string' },
        threads: { type: 'string' },
        logprobs: { type: 'string' },
        verbose: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      HELP,
    );
    if (!parsed) return 0;
    const v = parsed.values;
    const dtype = dtypeFlag(v.dtype);
    const optional = (value: string | undefined, name: string) => (value === undefined ? undefined : numberFlag(value, name, 0));
    const engine = createEngine({
      modelDir: checkModelFolder(resolve(requireFlag(v.model, 'model')), v.model),
      dtype,
      threads: intFlag(v.threads, 'threads', 0),
      cacheDir: defaultCacheDir(),
      logger: createLogger(stderrSink(v.verbose ? 'info' : 'warn'), 'engine'),
    });
    try {
      const promptText = requireFlag(v.prompt, 'prompt');
      const prompt = v.chat ? await engine.renderChat([{ role: 'user', content: promptText }], signal) : promptText;
      const seed = v.seed === undefined ? undefined : intFlag(v.seed, 'seed', 0);
      const topK = v['top-k'] === undefined ? undefined : intFlag(v['top-k'], 'top-k', 0);
      const logprobs = v.logprobs === undefined ? undefined : intFlag(v.logprobs, 'logprobs', 0);
      const result = await engine.generate(
        {
          prompt,
          maxTokens: intFlag(v['max-tokens'], 'max-tokens', 128),
          temperature: optional(v.temperature, 'temperature'),
          topP: optional(v['top-p'], 'top-p'),
          topK,
          minP: optional(v['min-p'], 'min-p'),
          repetitionPenalty: optional(v['repetition-penalty'], 'repetition-penalty'),
          seed,
          stop: v.stop,
          logprobs,
          onToken: v.json ? undefined : (event) => process.stdout.write(event.text),
        },
        signal,
      );
      if (v.json) console.log(JSON.stringify(result, null, 2));
      else process.stdout.write('\n');
      return result.finishReason === 'abort' ? 130 : 0;
    } catch (err) {
      // Model problems (missing files, mismatches, prompt too long) are one-line user errors.
      if (err instanceof EngineError) throw new CliError(err.message, 1);
      throw err;
    } finally {
      engine.dispose();
    }
  },
};
