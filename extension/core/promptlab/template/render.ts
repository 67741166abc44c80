/**
 * Jinja templating with @huggingface/jinja: compile once (syntax errors located at their
 * file line), list the variables, flag the undefined ones, render.
 */
import { Template } from '@huggingface/jinja';
import { PromptLabError } from '../errors';
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
  render(values: Readonly<Record<string, unknown>>): string;
}

function located(origin: TemplateOrigin, templateLine: number | undefined, message: string): PromptLabError {
  return new PromptLabError(message, { file: origin.file, line: templateLine === undefined ? undefined : origin.line + templateLine - 1, field: 'template' });
}

export function compileTemplate(source: string, origin: TemplateOrigin): CompiledTemplate {
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
    render(values) {
      try {
        return template.render({ ...values });
      } catch (err) {
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
