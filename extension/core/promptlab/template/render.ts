/**
 * Jinja templating with @huggingface/jinja: compile once (syntax errors located at their
 * file line), list the variables, flag the undefined ones, render.
 */
import { Template } from '@huggingface/jinja';
import { PromptLabError } from '../errors';
import { renderBounded } from './boundedRender';
import { DEFAULT_RENDER_LIMITS, MAX_TEMPLATE_CHARS, type RenderLimits } from './limits';
import { locateFilter, locateTemplateError } from './locate';
import { templateVariables } from './variables';
import { errorMessage } from '../../../base/errorText';

export interface TemplateOrigin {
  readonly file: string;
  /** File line of the template's first line. */
  readonly line: number;
}

export interface CompiledTemplate {
  readonly source: string;
  /** Context variables the template reads, in order of first use. */
  readonly variables: readonly string[];
  /** Renders within `limits` (default DEFAULT_RENDER_LIMITS); past one, a TemplateLimitError naming the line. */
  render(values: Readonly<Record<string, unknown>>, limits?: RenderLimits): string;
}

function located(origin: TemplateOrigin, templateLine: number | undefined, message: string): PromptLabError {
  return new PromptLabError(message, { file: origin.file, line: templateLine === undefined ? undefined : origin.line + templateLine - 1, field: 'template' });
}

export function compileTemplate(source: string, origin: TemplateOrigin): CompiledTemplate {
  if (source.length > MAX_TEMPLATE_CHARS) {
    const size = `${source.length.toLocaleString('en-US')} characters`;
    throw located(origin, undefined, `the template is ${size}, over the ${MAX_TEMPLATE_CHARS.toLocaleString('en-US')} that are parsed (no model's context window holds that much): put long text in an input value`);
  }
  let template: Template;
  try {
    template = new Template(source);
  } catch (err) {
    const issue = locateTemplateError(source);
    const message = errorMessage(err);
    if (!issue) throw located(origin, undefined, message);
    // The parser sometimes fails with an internal TypeError; then only our own finding is useful.
    if (!(err instanceof SyntaxError) || issue.message === message) throw located(origin, issue.line, issue.message);
    const sameNews = /^unknown template statement/.test(issue.message) && /Unknown statement type/.test(message);
    throw located(origin, issue.line, sameNews ? message : `${message} (${issue.message})`);
  }
  const variables = templateVariables(template.parsed);
  return {
    source,
    variables,
    render(values, limits = DEFAULT_RENDER_LIMITS) {
      try {
        return renderBounded(template, source, values, limits, origin);
      } catch (err) {
        if (err instanceof PromptLabError) throw err;
        const message = errorMessage(err);
        const filter = /filter: (\w+)/.exec(message)?.[1];
        throw located(origin, filter ? locateFilter(source, filter) : undefined, message);
      }
    },
  };
}

/** Variables the template reads that `values` does not define (undefined or missing). */
export function missingVariables(variables: readonly string[], values: Readonly<Record<string, unknown>>): string[] {
  return variables.filter((v) => values[v] === undefined);
}
