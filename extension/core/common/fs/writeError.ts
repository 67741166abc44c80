/**
 * A failed write to a user's file, as one clear sentence: which file, what went wrong in
 * words (a full disk, a quota, an I/O error…), and that the file on disk was left as it was.
 */

const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EIO: 'the disk or network file system reported an I/O error',
  EROFS: 'the file system is read-only',
  EFBIG: 'the file is too large for this file system',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  ENAMETOOLONG: 'the file name is too long',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'the path is a folder',
  ESHORT: 'the file system accepted fewer bytes than were written',
};

export class FileWriteError extends Error {
  constructor(
    /** The file the caller asked to write. */
    readonly file: string,
    /** The system error code (ENOSPC, EDQUOT, EIO, …), or ESHORT for a short write. */
    readonly code: string,
    /** Whether the target is known to be unchanged (always, unless the failure came after the rename). */
    readonly unchanged: boolean,
    options?: { cause?: unknown },
  ) {
    super(`cannot write ${file}: ${REASONS[code] ?? code.toLowerCase()} (${code})${unchanged ? '; the file on disk was left unchanged' : ''}`, options);
    this.name = 'FileWriteError';
  }
}

/** The system error code of `err` (ENOSPC, …), or undefined for errors that are not system errors. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** `err` as a FileWriteError for `file` (system errors only; other errors pass through). */
export function asWriteError(err: unknown, file: string, unchanged = true): unknown {
  if (err instanceof FileWriteError) return err;
  const code = errnoCode(err);
  return code ? new FileWriteError(file, code, unchanged, { cause: err }) : err;
}
