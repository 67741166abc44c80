/**
 * Typed engine errors. Every failure that a user can cause (a missing or broken model file, a
 * model whose ONNX graph does not match its config, a prompt longer than the context window)
 * is an EngineError that names the file and the problem, so the host can show it as-is.
 */
export type EngineErrorCode =
  /** A required file of the model folder does not exist. */
  | 'missing-file'
  /** A file exists but cannot be parsed (bad JSON, corrupt ONNX, broken tokenizer.json). */
  | 'invalid-file'
  /** config.json and the ONNX graph disagree (layer count, KV inputs, head sizes, KV types, vocabulary). */
  | 'model-mismatch'
  /** The graph needs an operator this onnxruntime build lacks (e.g. contrib ops such as MatMulNBits). */
  | 'unsupported-op'
  /** The prompt does not fit the model's context window. */
  | 'context-overflow'
  /** A request that the engine cannot run (bad parameters). */
  | 'invalid-request'
  /** The inference worker died or sent something it should not have. */
  | 'worker-failed'
  /** The engine was disposed while the request was pending. */
  | 'disposed'
  /** onnxruntime failed while running the model. */
  | 'inference-failed';

export interface EngineErrorInfo {
  readonly code: EngineErrorCode;
  readonly message: string;
  readonly file?: string;
}

export class EngineError extends Error implements EngineErrorInfo {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(file !== undefined && !message.includes(file) ? `${file}: ${message}` : message, options);
    this.name = 'EngineError';
  }

  toInfo(): EngineErrorInfo {
    return this.file === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, file: this.file };
  }

  static fromInfo(info: EngineErrorInfo): EngineError {
    return new EngineError(info.code, info.message, info.file);
  }
}

export const ENGINE_ERROR_CODES: readonly EngineErrorCode[] = [
  'missing-file',
  'invalid-file',
  'model-mismatch',
  'unsupported-op',
  'context-overflow',
  'invalid-request',
  'worker-failed',
  'disposed',
  'inference-failed',
];

