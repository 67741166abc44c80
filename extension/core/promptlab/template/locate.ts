/**
 * @huggingface/jinja reports syntax errors without positions. This finds the offending tag by
 * scanning the template's `{{ }}`, `{% %}` and `{# #}` tags: an unclosed tag, a tag that does
 * not tokenize or parse on its own, an unknown statement, or an unbalanced block.
 */
import { parse, tokenize } from '@huggingface/jinja';
import { lineAt } from '../errors';
import { errorMessage } from '../../../base/errorText';

const STATEMENTS = new Set(['if', 'elif', 'else', 'endif', 'for', 'endfor', 'set', 'endset', 'macro', 'endmacro', 'call', 'endcall', 'filter', 'endfilter', 'break', 'continue', 'generation', 'endgeneration']);
const BLOCKS: Readonly<Record<string, string>> = { if: 'endif', for: 'endfor', macro: 'endmacro', call: 'endcall', filter: 'endfilter', generation: 'endgeneration' };

export interface TemplateIssue {
  /** 1-based line within the template text. */
  readonly line: number;
  readonly message: string;
}

function fails(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return errorMessage(err);
  }
}

export function locateTemplateError(source: string): TemplateIssue | undefined {
  const stack: Array<{ name: string; line: number }> = [];
  const tag = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}|\{\{|\{%|\{#/g;
  for (let m = tag.exec(source); m; m = tag.exec(source)) {
    const text = m[0];
    const line = lineAt(source, m.index);
    if (text.length === 2) return { line, message: `'${text}' is never closed` };
    if (text.startsWith('{#')) continue;
    const lexErr = fails(() => tokenize(text));
    if (lexErr) return { line, message: lexErr };
    if (text.startsWith('{{')) {
      const parseErr = fails(() => parse(tokenize(text)));
      if (parseErr) return { line, message: parseErr };
      continue;
    }
    const words = text.slice(2, -2).replace(/^-|-$/g, '').trim();
    const name = /^[A-Za-z_]\w*/.exec(words)?.[0] ?? '';
    if (!STATEMENTS.has(name)) return { line, message: `unknown template statement '{% ${name || words} %}'` };
    if (name === 'set' && !/^set\s+[^=]+=/.test(words)) stack.push({ name, line });
    else if (name in BLOCKS) stack.push({ name, line });
    else if (name.startsWith('end')) {
      const open = stack.pop();
      const expected = open ? (open.name === 'set' ? 'endset' : BLOCKS[open.name]) : undefined;
      if (expected !== name) return { line, message: open ? `'{% ${name} %}' closes '{% ${open.name} %}' from line ${open.line}` : `'{% ${name} %}' without an opening block` };
    } else if ((name === 'elif' || name === 'else') && !stack.some((s) => s.name === 'if' || s.name === 'for')) {
      return { line, message: `'{% ${name} %}' outside an if/for block` };
    }
  }
  const open = stack.pop();
  if (open) return { line: open.line, message: `'{% ${open.name} %}' is never closed` };
  return undefined;
}

/** Line of the first `| name` filter use, for runtime "unknown filter" errors. */
export function locateFilter(source: string, filter: string): number | undefined {
  const m = new RegExp(`\\|\\s*${filter.replace(/[^\w]/g, '')}\\b`).exec(source);
  return m ? lineAt(source, m.index) : undefined;
}
