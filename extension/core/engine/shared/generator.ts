/**
 * "A model that generates": the one interface that completions, Prompt Lab, evaluation and
 * `lathe serve` use. The in-process ONNX engine implements it; a remote OpenAI-compatible
 * backend implements it too. Fields may be added (optional only) but never renamed.
 */
export interface SamplingParams {
  /** 0 means greedy. */
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly minP?: number;
  readonly repetitionPenalty?: number;
  readonly seed?: number;
}

export interface GenerateRequest extends SamplingParams {
  /** Raw prompt text (no chat template applied here; see `renderChat`). */
  readonly prompt: string;
  /** Tokens to generate. 0 generates nothing; the local engine then only prefills the prompt into its prefix cache (warm-up). */
  readonly maxTokens: number;
  readonly stop?: readonly string[];
  /** Wall-clock limit for the whole request. */
  readonly maxTimeMs?: number;
  /** Return per-token logprobs and this many top alternatives per position (0 = logprobs only). */
  readonly logprobs?: number;
  /** Called for each piece of text as it becomes final (stop-sequence hold-back applied). */
  readonly onToken?: (event: TokenEvent) => void;
  /** Local engine: reuse KV state of earlier requests sharing a token prefix (default true). */
  readonly prefixCache?: boolean;
  /** Local engine: prompt-lookup speculative decoding for greedy requests (default: engine's choice). */
  readonly speculative?: boolean;
  /**
   * Local engine, greedy requests: beam search over the first line with this many beams (the most
   * likely whole line, not the one greedy decoding walks into); the rest continues greedily.
   * 1 (the default) is plain greedy decoding; so are requests with a repetition penalty.
   */
  readonly beams?: number;
  /**
   * Local engine: mix the model's next-token distribution with the tokens that followed earlier
   * occurrences, in the prompt, of the text right before the cursor (code repeats its names and
   * lines; a small model under-rates them). Default false. See worker/promptCopy.ts.
   */
  readonly promptCopy?: boolean;
  /**
   * With `promptCopy`: more text to copy from, e.g. the parts of the document the prompt leaves
   * out (the engine tokenizes it; runs never cross from one text into another).
   */
  readonly copySources?: readonly string[];
  /**
   * Token healing (generators whose `info().tokenHealing` is true): the output must begin with
   * this text, which the caller cut off the end of its prompt so the model picks the token
   * boundary. It is not returned: `text` and the token events start after it.
   */
  readonly forcePrefix?: string;
}

export interface TokenAlternative {
  readonly token: string;
  readonly logprob: number;
}

export interface TokenEvent {
  /** Decoded text this token contributes (may be '' for a partial UTF-8 sequence). */
  readonly text: string;
  readonly tokenId: number;
  readonly logprob?: number;
  readonly top?: readonly TokenAlternative[];
}

export type FinishReason = 'stop' | 'eos' | 'length' | 'time' | 'abort';

export interface GenerateResult {
  readonly text: string;
  readonly tokens: readonly TokenEvent[];
  readonly finishReason: FinishReason;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Prompt tokens whose KV state came from the prefix cache. */
  readonly cachedTokens: number;
  readonly timings: {
    readonly ttftMs: number;
    readonly totalMs: number;
    readonly decodeTokensPerSecond: number;
    /** Local engine: CPU time its inference process spent on the request (all threads). */
    readonly cpuMs?: number;
    /**
     * Local engine: milliseconds inside onnxruntime's run() after the first token; the rest of the
     * decode time is per-token overhead (tensors, outputs, sampling, KV handling, messaging).
     */
    readonly decodeRunMs?: number;
    /**
     * Local engine: CPU time its inference process spent after the first token (all threads):
     * the decode's own cost, which on a busy machine wall time overstates by the wait for a core.
     */
    readonly decodeCpuMs?: number;
  };
  /** Local engine, speculative requests: draft tokens proposed and accepted. */
  readonly speculation?: { readonly drafted: number; readonly accepted: number };
}

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** A chat request: messages instead of a prompt; the model's chat template turns them into one. */
export interface ChatRequest extends Omit<GenerateRequest, 'prompt' | 'forcePrefix' | 'prefixCache' | 'speculative' | 'beams' | 'promptCopy' | 'copySources'> {
  readonly messages: readonly ChatMessage[];
}

export interface ModelInfo {
  readonly id: string;
  readonly contextLength: number;
  readonly vocabSize: number;
  /** FIM special tokens declared by the model folder, if it supports fill-in-the-middle. */
  readonly fim?: { readonly prefix: string; readonly suffix: string; readonly middle: string; readonly fileSeparator?: string };
  readonly hasChatTemplate: boolean;
  /** The generator honours `forcePrefix` (token healing). */
  readonly tokenHealing?: boolean;
  /** Local engine: the ONNX file loaded, its weight variant and size (graph plus external data). */
  readonly weights?: { readonly file: string; readonly dtype: string; readonly bytes: number };
}

export interface TextGenerator {
  info(signal?: AbortSignal): Promise<ModelInfo>;
  generate(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult>;
  /** Token ids of `text` with the model's own tokenizer (no special tokens added). */
  tokenize(text: string, signal?: AbortSignal): Promise<number[]>;
  /** The model's chat template applied to `messages` (generation prompt added). */
  renderChat(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<string>;
  /**
   * Generators that apply the chat template themselves (a server's `/chat/completions`): the
   * messages go as they are and the answer streams like `generate`'s. Call `generateChat`.
   */
  chat?(request: ChatRequest, signal?: AbortSignal): Promise<GenerateResult>;
}

/** Answers chat messages: through the generator's own `chat` when it has one, else its chat template rendered here and generated. */
export async function generateChat(generator: TextGenerator, request: ChatRequest, signal?: AbortSignal): Promise<GenerateResult> {
  if (generator.chat) return generator.chat(request, signal);
  const { messages, ...rest } = request;
  return generator.generate({ ...rest, prompt: await generator.renderChat(messages, signal) }, signal);
}
