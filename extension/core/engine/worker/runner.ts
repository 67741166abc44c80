/**
 * Runs requests against one loaded DecoderModel: prompt encoding, prefix-cache reuse, chunked
 * prefill, the decode loop with optional prompt-lookup speculation, and the result. Runs in
 * the inference process; tests also use it directly.
 */
import { join } from 'node:path';
import { ChatRenderer } from './chatTemplate';
import type { DecoderModel } from './decoderModel';
import { EngineError } from '../shared/errors';
import type { ChatMessage, GenerateResult, ModelInfo, TokenEvent } from '../shared/generator';
import type { GenerationParams } from '../shared/protocol';
import type { KvState } from './kvState';
import { OutputAssembler } from './outputAssembler';
import { PrefixCache, DEFAULT_PREFIX_CACHE, type PrefixCacheOptions } from './prefixCache';
import { PromptEncoder } from './promptEncoder';
import { DEFAULT_DRAFT, DraftPolicy, proposeDraft, type DraftOptions } from './promptLookup';
import { Rng } from '../../common/rng';
import { ForcedPrefix, TokenTexts } from './forcedPrefix';
import { searchLine, type BeamStepper, type LineBeamOptions } from './lineBeam';
import { resolveSampling, Sampler, SeenTokens, validateSampling, type Choice } from './sampling';
import { DEFAULT_PROMPT_COPY, PromptCopy } from './promptCopy';


export interface GenerationHooks {
  /** Checked between model steps. */
  isAborted(): boolean;
  onToken?: (event: TokenEvent) => void;
  /** Called once the prompt is encoded and the prefix cache consulted. */
  onPrompt?(promptTokens: number, cachedTokens: number): void;
}

export interface RunnerOptions {
  /** Prompt-lookup speculation for greedy requests that do not say otherwise. */
  readonly speculation: boolean;
  readonly draft: DraftOptions;
  readonly prefixCache: PrefixCacheOptions;
  /**
   * Waits this long before each decode step, as a slower model on a slower machine would. Only
   * for tests that must act while a generation is still running (the inference process reads it
   * from LATHE_TEST_STEP_DELAY_MS); 0 in use.
   */
  readonly stepDelayMs?: number;
}

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = { speculation: true, draft: DEFAULT_DRAFT, prefixCache: DEFAULT_PREFIX_CACHE };

const MAX_LOGPROBS = 20;
/** Most beams a request may ask for. */
const MAX_BEAMS = 8;
/** Longest line a beam search follows; past it the line goes on greedily. */
const MAX_BEAM_TOKENS = 64;

export class ModelRunner {
  private readonly cache: PrefixCache;
  private readonly chat: ChatRenderer;
  private readonly encoder: PromptEncoder;
  private tokenTexts: TokenTexts | undefined;

  constructor(readonly model: DecoderModel, private readonly options: RunnerOptions = DEFAULT_RUNNER_OPTIONS) {
    this.cache = new PrefixCache(options.prefixCache);
    this.encoder = new PromptEncoder(model.tokenizer, model.folder.fim?.tokens.prefix);
    this.chat = new ChatRenderer(model.folder.chatTemplate, model.tokenizer);
    // Completions heal tokens from the first keystroke on: index token texts at load for FIM
    // models (≈ 90 ms for 12k ids) rather than on the first completion.
    if (model.folder.fim) this.tokenTexts = new TokenTexts(model.tokenizer, model.config.vocabSize);
  }

  info(): ModelInfo {
    const { chatTemplate, fim } = this.model.folder;
    const base = {
      id: this.model.modelDir,
      contextLength: this.model.config.contextLength,
      vocabSize: this.model.config.vocabSize,
      hasChatTemplate: chatTemplate !== undefined,
      tokenHealing: true,
      weights: { file: this.model.onnx.path, dtype: this.model.onnx.dtype, bytes: this.model.onnx.weightBytes },
    };
    return fim ? { ...base, fim: fim.tokens } : base;
  }

  tokenize(text: string): number[] {
    return this.encoder.encode(text);
  }

  renderChat(messages: readonly ChatMessage[]): string {
    return this.chat.render(messages);
  }

  clearCache(): void {
    this.cache.clear();
  }

  async generate(params: GenerationParams, hooks: GenerationHooks): Promise<GenerateResult> {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const { config, tokenizer } = this.model;
    const invalid = checkRequest(params);
    if (invalid) throw new EngineError('invalid-request', invalid);
    const sampling = resolveSampling(params, config.generation);
    const badSampling = validateSampling(sampling);
    if (badSampling) throw new EngineError('invalid-request', badSampling);

    const prompt = this.encodePrompt(params.prompt);
    if (prompt.length >= config.contextLength) {
      throw new EngineError(
        'context-overflow',
        `the prompt is ${prompt.length} tokens but the model's context window is ${config.contextLength} tokens (max_position_embeddings in config.json)`,
        join(this.model.modelDir, 'config.json'),
      );
    }
    const force = params.forcePrefix ?? '';
    const forced = force !== '' ? new ForcedPrefix(force, (this.tokenTexts ??= new TokenTexts(tokenizer, config.vocabSize)), (t) => this.encoder.encode(t)) : undefined;
    const maxNew = Math.max(0, Math.min(params.maxTokens, config.contextLength - prompt.length - (forced?.reserve ?? 0)));
    const useCache = params.prefixCache !== false;
    const hit = useCache ? this.cache.lookup(prompt, prompt.length - 1) : undefined;
    let kv: KvState = hit?.kv ?? this.model.emptyKv();
    const cachedTokens = hit?.reused ?? 0;
    hooks.onPrompt?.(prompt.length, cachedTokens);

    const out = new OutputAssembler(tokenizer, {
      stop: params.stop ?? [],
      eosTokenIds: config.eosTokenIds,
      maxTokens: maxNew,
      deadline: params.maxTimeMs !== undefined ? started + params.maxTimeMs : Infinity,
      onToken: hooks.onToken,
      skip: force,
    });
    const sampler = new Sampler(sampling, Rng.fromSeed(params.seed), params.logprobs);
    const seen = new SeenTokens(config.vocabSize, sampling.repetitionPenalty !== 1 ? prompt : []);
    /** Copy state of `sequence` (prompt copy requests). */
    const copy = params.promptCopy ? PromptCopy.after(prompt, DEFAULT_PROMPT_COPY, (params.copySources ?? []).map((t) => this.encoder.encode(t, false))) : undefined;
    const mixed = (logits: Float32Array, state = copy): Float32Array => (state ? state.mix(logits) : logits);
    const pick = (logits: Float32Array): Choice => (forced?.active ? forced.pick(logits, sampler, seen) : sampler.pick(logits, seen));
    const extend = (id: number): void => {
      sequence.push(id);
      copy?.push(id);
    };
    const speculate = sampling.greedy && (params.speculative ?? this.options.speculation);
    const beams = sampling.greedy && sampling.repetitionPenalty === 1 ? (params.beams ?? 1) : 1;
    const drafting = new DraftPolicy(this.options.draft.maxDraft);
    /** Prompt and sampled tokens; `kv` always covers sequence[0, kv.length). */
    const sequence = prompt.slice();
    let firstTokenAt = started;
    let runAtFirstToken = this.model.runMs;
    let cpuAtFirstToken = process.cpuUsage();
    let drafted = 0;
    let acceptedTotal = 0;

    if (maxNew === 0 && useCache && !hooks.isAborted() && cachedTokens < prompt.length) {
      // A warm-up request: compute the prompt's KV for later requests, sample nothing.
      kv = (await this.prefill(prompt.slice(cachedTokens), kv)).kv;
    }
    if (maxNew > 0 && !hooks.isAborted()) {
      const prefill = await this.prefill(prompt.slice(cachedTokens), kv);
      kv = prefill.kv;
      const first = mixed(prefill.logits);
      let choice: Choice | undefined;
      let ended = false;
      /** Tokens of `sequence` not yet in `kv` (a searched line), run with the next step. */
      let pending: number[] = [];
      if (beams > 1) {
        const deadline = params.maxTimeMs !== undefined ? started + params.maxTimeMs : Infinity;
        const line = await this.beamLine(first, kv, beams, copy, {
          maxTokens: Math.min(maxNew, MAX_BEAM_TOKENS),
          forced,
          forcedText: force,
          logprobs: params.logprobs,
          isAborted: () => hooks.isAborted() || performance.now() >= deadline,
        });
        if (line.length > 0) {
          firstTokenAt = performance.now();
          // The line's tokens go out as if sampled; the decode loop goes on from its last token.
          for (const c of line) {
            if (forced?.active) {
              forced.options();
              forced.take(c.id);
            }
          }
          const head = line.slice(0, -1);
          for (const c of head) {
            extend(c.id);
            if (out.add(c)) {
              ended = true;
              break;
            }
            seen.add(c.id);
          }
          // Their KV is computed only if decoding goes on past the line (one step with the next token).
          if (!ended) pending = head.map((c) => c.id);
          choice = line[line.length - 1];
        }
      }
      choice ??= pick(first);
      if (firstTokenAt === started) firstTokenAt = performance.now();
      runAtFirstToken = this.model.runMs;
      cpuAtFirstToken = process.cpuUsage();
      if (!ended) extend(choice.id);
      decode: while (!ended && !out.add(choice)) {
        seen.add(choice.id);
        if (hooks.isAborted()) {
          out.abort();
          break;
        }
        if (this.options.stepDelayMs) await new Promise((resolve) => setTimeout(resolve, this.options.stepDelayMs));
        const next = choice.id;
        const room = Math.min(maxNew - out.count - 1, drafting.value);
        const draft = speculate && room > 0 && !forced?.active && pending.length === 0 && drafting.shouldDraft() ? proposeDraft(sequence, { ...this.options.draft, maxDraft: room }) : [];
        if (draft.length === 0) {
          const step = await this.model.step([...pending, next], kv, 1);
          pending = [];
          kv = step.kv;
          choice = pick(mixed(step.logits[0]));
          extend(choice.id);
          continue;
        }
        // Verify the draft in one step: row i predicts the token after draft[i-1].
        const step = await this.model.step([next, ...draft], kv, draft.length + 1);
        const accepted: Choice[] = [];
        let bonus: Choice | undefined;
        const draftCopy = copy?.clone();
        for (let i = 0; i <= draft.length && !bonus; i++) {
          const c = sampler.pick(mixed(step.logits[i], draftCopy), seen);
          if (i < draft.length) draftCopy?.push(draft[i]);
          if (i < draft.length && c.id === draft[i]) {
            accepted.push(c);
            seen.add(c.id);
          } else {
            bonus = c;
          }
        }
        drafting.update(draft.length, accepted.length);
        drafted += draft.length;
        acceptedTotal += accepted.length;
        kv = step.kv.slice(kv.length + 1 + accepted.length);
        for (const c of accepted) extend(c.id);
        choice = bonus!;
        extend(choice.id);
        for (const c of accepted) if (out.add(c)) break decode;
      }
    }
    if (useCache) this.cache.store(sequence, kv);

    const finished = performance.now();
    const n = out.count;
    const result: GenerateResult = {
      text: out.text,
      tokens: out.events,
      finishReason: out.finishReason ?? (hooks.isAborted() ? 'abort' : 'length'),
      promptTokens: prompt.length,
      completionTokens: n,
      cachedTokens,
      timings: {
        ttftMs: n > 0 ? firstTokenAt - started : finished - started,
        totalMs: finished - started,
        decodeTokensPerSecond: n > 1 && finished > firstTokenAt ? ((n - 1) * 1000) / (finished - firstTokenAt) : 0,
        cpuMs: cpuMs(process.cpuUsage(cpu)),
        decodeRunMs: n > 1 ? this.model.runMs - runAtFirstToken : 0,
        decodeCpuMs: n > 1 ? cpuMs(process.cpuUsage(cpuAtFirstToken)) : 0,
      },
    };
    return speculate ? { ...result, speculation: { drafted, accepted: acceptedTotal } } : result;
  }

  /**
   * The most likely first line by beam search over `width` lines, run as one batch per step.
   * `first` is the prompt's row, already mixed with `copy` (prompt copy requests).
   */
  private async beamLine(first: Float32Array, kv: KvState, width: number, copy: PromptCopy | undefined, o: Omit<LineBeamOptions, 'width' | 'texts' | 'eosTokenIds'>): Promise<Choice[]> {
    const beamKv = this.model.beamKv(kv, width, kv.length + o.maxTokens + 1);
    /** Each line's copy state (prompt copy requests), in the order of the last rows returned. */
    let copies = copy ? [copy] : [];
    const stepper: BeamStepper = {
      advance: async (parents, tokens) => {
        // Fewer lines than slots: the spare slots repeat the last line and their rows are dropped.
        const pad = <T>(xs: readonly T[]): T[] => Array.from({ length: width }, (_, i) => xs[Math.min(i, xs.length - 1)]);
        beamKv.reorder(pad(parents));
        const rows = (await this.model.stepBeams(pad(tokens), beamKv)).slice(0, tokens.length);
        if (copies.length === 0) return rows;
        copies = parents.map((p, i) => {
          const next = copies[p].clone();
          next.push(tokens[i]);
          return next;
        });
        return rows.map((row, i) => copies[i].mix(row));
      },
    };
    const texts = (this.tokenTexts ??= new TokenTexts(this.model.tokenizer, this.model.config.vocabSize));
    const result = await searchLine(first, stepper, { ...o, width, texts, eosTokenIds: this.model.config.eosTokenIds });
    return [...result.choices];
  }

  /** Runs the uncached prompt tokens (at least one) and returns the last position's logits. */
  private async prefill(tokens: readonly number[], kv: KvState): Promise<{ logits: Float32Array; kv: KvState }> {
    let state = kv;
    let logits: Float32Array | undefined;
    const size = this.model.prefillChunk;
    for (let i = 0; i < tokens.length; i += size) {
      const chunk = tokens.slice(i, i + size);
      const step = await this.model.step(chunk, state, 1);
      state = step.kv;
      logits = step.logits[0];
    }
    return { logits: logits!, kv: state };
  }

  /** Prompt ids with the tokenizer's special tokens (e.g. BOS) unless the text already starts with them. */
  private encodePrompt(text: string): number[] {
    const t = this.model.tokenizer;
    const startsWithBos = t.bosToken !== undefined && t.bosToken !== '' && text.startsWith(t.bosToken);
    const ids = this.encoder.encode(text, !startsWithBos);
    if (ids.length > 0) return ids;
    const bos = this.model.config.bosTokenId;
    if (bos !== undefined) return [bos];
    throw new EngineError('invalid-request', 'the prompt is empty and the model has no BOS token to start from');
  }
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function checkRequest(p: GenerationParams): string | undefined {
  if (!Number.isInteger(p.maxTokens) || p.maxTokens < 0) return `maxTokens must be a non-negative integer, got ${p.maxTokens}`;
  if (p.logprobs !== undefined && (!Number.isInteger(p.logprobs) || p.logprobs < 0 || p.logprobs > MAX_LOGPROBS)) {
    return `logprobs must be an integer from 0 to ${MAX_LOGPROBS}`;
  }
  if (p.maxTimeMs !== undefined && !(p.maxTimeMs > 0)) return 'maxTimeMs must be positive';
  if (p.seed !== undefined && !Number.isInteger(p.seed)) return 'seed must be an integer';
  if (p.beams !== undefined && (!Number.isInteger(p.beams) || p.beams < 1 || p.beams > MAX_BEAMS)) return `beams must be an integer from 1 to ${MAX_BEAMS}`;
  return undefined;
}
