/**
 * Errors reading a model folder. Each names the file and what is wrong with it, so callers can
 * show the message as-is; the engine maps them onto its own typed errors.
 */
export type ModelFolderErrorCode =
  /** A required file of the folder does not exist. */
  | 'missing-file'
  /** A file exists but cannot be read or parsed (bad JSON, broken tokenizer.json). */
  | 'invalid-file';

export class ModelFolderError extends Error {
  constructor(
    readonly code: ModelFolderErrorCode,
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message.includes(file) ? message : `${file}: ${message}`, options);
    this.name = 'ModelFolderError';
  }
}
