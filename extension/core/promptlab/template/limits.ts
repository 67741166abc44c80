/**
 * Bounds on rendering one template: loop iterations (all loops together, `range()` included),
 * characters of output, and time. A prompt file is user input: `{% for i in range(100000000) %}`
 * must end in a clear error naming its line, not a frozen editor.
 */
import { PromptLabError, type ErrorLocation } from '../errors';

export interface RenderLimits {
  /** Loop iterations in one render, all loops together (a `range()` longer than this is refused before it is built). */
  readonly maxIterations: number;
  /** Characters of output (and of any string or list built on the way). */
  readonly maxOutputChars: number;
  /** Wall-clock time of one render. */
  readonly timeMs: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = { maxIterations: 100_000, maxOutputChars: 8 * 1024 * 1024, timeMs: 2_000 };

/**
 * Templates longer than this are not parsed (parsing takes about a second per 4 MB): 1 Mi
 * characters is about 250k tokens, more than any model's context window holds. Long text
 * belongs in an input value, whose rendered size the output limit bounds.
 */
export const MAX_TEMPLATE_CHARS = 1 << 20;

export type LimitKind = 'iterations' | 'output' | 'time';

/** A render that went over one of its limits. */
export class TemplateLimitError extends PromptLabError {
  constructor(
    readonly limit: LimitKind,
    reason: string,
    location: ErrorLocation,
  ) {
    super(reason, location);
    this.name = 'TemplateLimitError';
  }
}

export function limitReason(kind: LimitKind, limits: RenderLimits): string {
  switch (kind) {
    case 'iterations':
      return `the template loops more than ${limits.maxIterations.toLocaleString('en-US')} times`;
    case 'output':
      return `the template renders more than ${limits.maxOutputChars.toLocaleString('en-US')} characters`;
    case 'time':
      return `the template took longer than ${limits.timeMs / 1000} s to render`;
  }
}
