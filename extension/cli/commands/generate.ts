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
import { intFlag, parseFlags, requireFlag } from '../args';
import type { CliCommand } from '../command';
import { CliError } from '../errors';
import { checkModelFolder, dtypeFlag } from '../modelFlags';
import { SAMPLING_FLAGS, SAMPLING_HELP, samplingFromFlags } from '../samplingFlags';

const HELP = `usage: lathe generate --model DIR --prompt TEXT [options]

  --model DIR          model folder (config.json, tokenizer.json, onnx/model*.onnx)
  --prompt TEXT        raw prompt text (no chat template)
  --chat               wrap the prompt as a user message with the model's chat template
${SAMPLING_HELP}
                       (defaults: 128 tokens, the model's generation_config.json)
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
        ...SAMPLING_FLAGS,
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
      const { maxTokens, ...sampling } = samplingFromFlags(v);
      const logprobs = v.logprobs === undefined ? undefined : intFlag(v.logprobs, 'logprobs', 0);
      const result = await engine.generate(
        {
          prompt,
          ...sampling,
          maxTokens: maxTokens ?? 128,
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
