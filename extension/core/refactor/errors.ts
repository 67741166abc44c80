/**
 * Why a refactoring did not produce an edit. Every refusal carries a reason code (for tests,
 * the CLI's exit status and the bench) and a message a user can act on, naming the file and
 * line where one applies. A refused refactoring writes nothing.
 */
export type RefactorReason =
  /** The language has no tree-sitter grammar (or the feature has no rules for it). */
  | 'unsupported-language'
  /** Nothing to work on at the cursor: no function, no identifier, no comment. */
  | 'no-target'
  /** The selection is not a whole list of statements of one block. */
  | 'bad-selection'
  /** The selection cannot move into a function (return, yield, break/continue out of it…). */
  | 'cannot-extract'
  /** The edit would add parse errors to the file. */
  | 'parse-errors'
  /** A name the user gave is not a legal identifier, or is already bound where it would go. */
  | 'invalid-name'
  /** The document cannot be written (read-only, untrusted workspace). */
  | 'read-only'
  /** The model failed to load or to answer. */
  | 'model'
  /** The command needs an instruction-following (chat) model and the current one is not. */
  | 'needs-chat-model'
  /** The model answered, but nothing usable came out of it. */
  | 'no-candidates';

export class RefactorError extends Error {
  constructor(
    readonly reason: RefactorReason,
    message: string,
  ) {
    super(message);
    this.name = 'RefactorError';
  }
}

export function isRefactorError(err: unknown): err is RefactorError {
  return err instanceof RefactorError;
}
