/** Messages between the template worker thread and its host (structured-cloned). */
import type { ErrorLocation } from '../../errors';
import type { LimitKind, RenderLimits } from '../limits';
import type { RenderRequest } from '../renderer';

export interface RenderMessage extends RenderRequest {
  readonly id: number;
  readonly limits: RenderLimits;
}

export type RenderReply =
  | { readonly id: number; readonly text: string }
  | { readonly id: number; readonly error: { readonly reason: string; readonly location?: ErrorLocation; readonly limit?: LimitKind } };

export function isRenderReply(value: unknown): value is RenderReply {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'number') return false;
  if (typeof v.text === 'string') return true;
  const e = v.error as Record<string, unknown> | undefined;
  return typeof e === 'object' && e !== null && typeof e.reason === 'string';
}
