/**
 * The peer: @huggingface/transformers (transformers.js) running the same ONNX file through the
 * same onnxruntime-node, with the same thread count, local files only. It is a dev dependency,
 * loaded at run time so it never enters the shipped bundles.
 */
import { basename, dirname } from 'node:path';

/** The slice of the transformers.js API the bench uses. */
interface Tensor {
  readonly dims: readonly number[];
}
interface Encoded {
  readonly input_ids: Tensor;
  readonly attention_mask: Tensor;
}
interface Streamer {
  put(value: bigint[][]): void;
  end(): void;
}
interface CausalLM {
  generate(options: Record<string, unknown>): Promise<Tensor & { tolist(): bigint[][] }>;
  dispose(): Promise<unknown>;
}
interface Transformers {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  AutoTokenizer: { from_pretrained(id: string, options?: Record<string, unknown>): Promise<(text: string) => Encoded> };
  AutoModelForCausalLM: { from_pretrained(id: string, options?: Record<string, unknown>): Promise<CausalLM> };
  BaseStreamer: new () => Streamer;
}

export interface PeerRun {
  readonly ttftMs: number;
  readonly tokens: number[];
  readonly decodeTokensPerSecond: number;
  /**
   * CPU time of this process (the peer runs in it, all onnxruntime threads included) per token
   * after the first: the decode's cost without the wait for a core on a busy machine.
   */
  readonly decodeCpuMsPerToken: number;
  readonly promptTokens: number;
}

export interface Peer {
  run(prompt: string, maxNewTokens: number): Promise<PeerRun>;
  dispose(): Promise<void>;
}

/** transformers.js dtype names for our ONNX file names. */
function peerDtype(onnxFile: string): string {
  const name = basename(onnxFile);
  const map: Record<string, string> = {
    'model.onnx': 'fp32',
    'model_int8.onnx': 'int8',
    'model_quantized.onnx': 'q8',
    'model_q4.onnx': 'q4',
    'model_q4f16.onnx': 'q4f16',
    'model_fp16.onnx': 'fp16',
  };
  const dtype = map[name];
  if (!dtype) throw new Error(`transformers.js has no dtype for ${name}`);
  return dtype;
}

export async function loadPeer(modelDir: string, onnxFile: string, threads: number, spinning: boolean): Promise<Peer> {
  const specifier = '@huggingface/transformers';
  const tf = (await import(specifier)) as unknown as Transformers;
  tf.env.allowRemoteModels = false;
  tf.env.allowLocalModels = true;
  tf.env.localModelPath = `${dirname(modelDir)}/`;
  const id = basename(modelDir);
  const tokenizer = await tf.AutoTokenizer.from_pretrained(id, { local_files_only: true });
  const model = await tf.AutoModelForCausalLM.from_pretrained(id, {
    local_files_only: true,
    device: 'cpu',
    dtype: peerDtype(onnxFile),
    session_options: {
      intraOpNumThreads: threads,
      extra: { session: { intra_op: { allow_spinning: spinning ? '1' : '0' }, inter_op: { allow_spinning: spinning ? '1' : '0' } } },
    },
  });

  class Timing extends tf.BaseStreamer {
    puts = 0;
    first = 0;
    firstCpu = process.cpuUsage();
    override put(): void {
      // The first put is the prompt; the second is the first generated token.
      if (++this.puts === 2) {
        this.first = performance.now();
        this.firstCpu = process.cpuUsage();
      }
    }
    override end(): void {}
  }

  return {
    async run(prompt, maxNewTokens) {
      const inputs = tokenizer(prompt);
      const streamer = new Timing();
      const started = performance.now();
      const out = await model.generate({ ...inputs, max_new_tokens: maxNewTokens, do_sample: false, streamer });
      const finished = performance.now();
      const cpu = process.cpuUsage(streamer.firstCpu);
      const promptTokens = inputs.input_ids.dims[1];
      const tokens = out.tolist()[0].slice(promptTokens).map(Number);
      const n = tokens.length;
      return {
        ttftMs: streamer.first - started,
        tokens,
        decodeTokensPerSecond: n > 1 ? ((n - 1) * 1000) / (finished - streamer.first) : 0,
        decodeCpuMsPerToken: n > 1 ? (cpu.user + cpu.system) / 1000 / (n - 1) : 0,
        promptTokens,
      };
    },
    async dispose() {
      await model.dispose();
    },
  };
}
