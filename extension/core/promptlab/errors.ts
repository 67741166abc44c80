/**
 * Errors a Prompt Lab user can act on: each names the file and, where known, the 1-based line
 * and the front-matter field (or template construct) that is wrong.
 */
export interface ErrorLocation {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
}

export class PromptLabError extends Error {
  constructor(
    readonly reason: string,
    readonly location: ErrorLocation,
  ) {
    super(formatLocation(location) + reason);
    this.name = 'PromptLabError';
  }
}

export function formatLocation({ file, line, field }: ErrorLocation): string {
  const where = line === undefined ? file : `${file}:${line}`;
  return field === undefined ? `${where}: ` : `${where}: ${field}: `;
}

/** 1-based line of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
