/**
 * Where templates are rendered. The CLI renders in-process (bounded by RenderLimits); the
 * extension passes a WorkerRenderer so that rendering never runs on the extension host's
 * thread. Both give the same text and the same located errors.
 */
import { compileTemplate, type TemplateOrigin } from './render';

export interface RenderRequest {
  readonly source: string;
  readonly origin: TemplateOrigin;
  readonly values: Readonly<Record<string, unknown>>;
}

export type TemplateRenderer = (request: RenderRequest, signal?: AbortSignal) => Promise<string>;

/** Renders on the calling thread, within DEFAULT_RENDER_LIMITS. */
export const inlineRenderer: TemplateRenderer = (request) => Promise.resolve().then(() => compileTemplate(request.source, request.origin).render(request.values));
