/**
 * Typed image-generation errors. Everything a user can get wrong (a model folder missing a
 * component, configs that disagree with the graphs, a size that is not a multiple of the latent
 * factor, a PNG without Lathe metadata) is an ImageGenError whose message names the file or the
 * parameter, so the host and the CLI can show it as it is.
 */
export type ImageGenErrorCode =
  /** A required file of the model folder does not exist. */
  | 'missing-file'
  /** A file exists but cannot be parsed (bad JSON, corrupt ONNX, broken tokenizer). */
  | 'invalid-file'
  /** The folder is not in the Stable Diffusion ONNX layout (e.g. a text model folder). */
  | 'not-image-model'
  /** Configs and graphs disagree (latent channels, hidden sizes, IO names or types). */
  | 'model-mismatch'
  /** A generation parameter is out of range (steps, guidance, size, seed, batch, scheduler). */
  | 'invalid-parameter'
  /** A PNG that carries no Lathe generation metadata. */
  | 'no-metadata'
  /** The request was cancelled between steps. */
  | 'aborted'
  /** The image worker died or sent something it should not have. */
  | 'worker-failed'
  /** The generator was disposed while the request was pending. */
  | 'disposed'
  /** onnxruntime failed while running a component. */
  | 'inference-failed';

export const IMAGEGEN_ERROR_CODES: readonly ImageGenErrorCode[] = [
  'missing-file',
  'invalid-file',
  'not-image-model',
  'model-mismatch',
  'invalid-parameter',
  'no-metadata',
  'aborted',
  'worker-failed',
  'disposed',
  'inference-failed',
];

export interface ImageGenErrorInfo {
  readonly code: ImageGenErrorCode;
  readonly message: string;
  /** The file or the parameter the error is about. */
  readonly subject?: string;
}

export class ImageGenError extends Error implements ImageGenErrorInfo {
  constructor(
    readonly code: ImageGenErrorCode,
    message: string,
    readonly subject?: string,
    options?: { cause?: unknown },
  ) {
    super(subject !== undefined && !message.includes(subject) ? `${subject}: ${message}` : message, options);
    this.name = 'ImageGenError';
  }

  toInfo(): ImageGenErrorInfo {
    return this.subject === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, subject: this.subject };
  }

  static fromInfo(info: ImageGenErrorInfo): ImageGenError {
    return new ImageGenError(info.code, info.message, info.subject);
  }
}

export function isAbortError(err: unknown): boolean {
  return err instanceof ImageGenError && err.code === 'aborted';
}
