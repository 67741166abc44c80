/**
 * The RPC between the template renderer (host side) and its worker thread, carried by the RPC
 * layer in `core/common/rpc`; both sides validate what they receive. One method, `render`,
 * answers with the text or with the template's own error (its reason, location and the limit
 * it went over), so the host rebuilds it; the thread says `ready` once it has loaded.
 */
import { num, object, oneOf, optional, recordOf, str, unknownValue, type Check } from '../../../../base/schema';
import type { RpcProtocol } from '../../../common/rpc/protocol';
import type { ErrorLocation } from '../../errors';
import type { LimitKind, RenderLimits } from '../limits';
import type { RenderRequest } from '../renderer';

export interface RenderParams extends RenderRequest {
  readonly limits: RenderLimits;
}

export type RenderOutcome =
  | { readonly text: string }
  | { readonly error: { readonly reason: string; readonly location?: ErrorLocation; readonly limit?: LimitKind } };

export interface TemplateMethods {
  render: { params: RenderParams; result: RenderOutcome };
}

export interface TemplateEvents {
  /** Sent once the thread has loaded: the host's watchdogs start from here. */
  ready: Record<string, never>;
}

const text = object({ text: str });
const failure = object({
  error: object({
    reason: str,
    location: optional(object({ file: str, line: optional(num), field: optional(str) })),
    limit: optional(oneOf('iterations', 'output', 'time')),
  }),
});
const outcome: Check = (v, p) => (typeof v === 'object' && v !== null && 'text' in v ? text(v, p) : failure(v, p));

export const TEMPLATE_PROTOCOL: RpcProtocol<TemplateMethods, TemplateEvents> = {
  peer: 'the template worker',
  methods: {
    render: {
      params: object({
        source: str,
        origin: object({ file: str, line: num }),
        values: recordOf(unknownValue),
        limits: object({ maxIterations: num, maxOutputChars: num, timeMs: num }),
      }),
      result: outcome,
    },
  },
  events: { ready: object({}) },
  errorCodes: ['invalid-request', 'render-failed'],
};
