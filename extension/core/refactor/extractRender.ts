/**
 * The text of an extraction: the new function (header, re-indented body, return of the values
 * read later) and the call that replaces the statements, for JavaScript/TypeScript and Python.
 * The name is a slot: `render` takes it last, so the model can fill it between `head` and `tail`.
 */
import type { Node } from 'web-tree-sitter';
import type { ExtractAnalysis } from './extractAnalysis';
import { indentUnit, type TextEdit } from './textEdits';

export interface ExtractTexts {
  /** The new function up to its name (with the separator before it when it goes after a definition). */
  readonly head: string;
  /** The new function after its name. */
  readonly tail: string;
  render(name: string): { readonly edits: TextEdit[]; readonly functionText: string; readonly call: string };
}

export interface RenderOptions {
  /** Parameter types (TypeScript), by parameter name, where known. */
  readonly types?: ReadonlyMap<string, string>;
  /** A name free at the call site for a temporary holding several return values. */
  readonly tempName?: string;
  readonly typescript: boolean;
  readonly className?: string;
}

export function renderExtract(a: ExtractAnalysis, text: string, options: RenderOptions): ExtractTexts {
  const py = a.family === 'python';
  const unit = indentUnit(text, py ? '    ' : '  ');
  const bodyIndent = a.insertIndent + unit;
  const { start, end } = a.selection;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const baseIndent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const typeOf = (n: string) => options.types?.get(n);
  const declarations = a.locals.map((l) => {
    const t = options.typescript ? preferChecker(typeOf(l.name), l.declaredType) : undefined;
    return `${bodyIndent}let ${l.name}${t ? `: ${t}` : ''};\n`;
  });
  const body = declarations.join('') + reindent(text, lineStart, end, baseIndent, bodyIndent, protectedLines(a.selection.statements, text, lineStart));
  const names = a.returns.map((r) => r.name);
  const params = a.params.map((p) => {
    // The checker's type where the parameter is used (narrowed there) wins over the declaration's.
    const t = options.typescript ? preferChecker(typeOf(p.name), p.declaredType) : py ? p.declaredType : undefined;
    return t ? `${p.name}: ${t}` : p.name;
  });
  const returnType = options.typescript && a.returnType ? `: ${a.isAsync && a.returnType === 'never' ? 'Promise<never>' : a.returnType}` : '';
  const usedTypeParams = options.typescript ? a.typeParameters.filter((tp) => [...params, returnType].some((p) => new RegExp(`\\b${tp.split(/\s/)[0]}\\b`).test(p))) : [];
  const asyncWord = a.isAsync ? 'async ' : '';
  let ret = '';
  if (names.length === 1) ret = py ? `return ${names[0]}` : `return ${names[0]};`;
  else if (names.length > 1) ret = py ? `return ${names.join(', ')}` : `return { ${names.join(', ')} };`;

  let head: string;
  let tail: string;
  if (py) {
    const selfParam = a.asMethod && a.selfName ? [a.selfName] : [];
    head = `${a.insertIndent}${asyncWord}def `;
    tail = `(${[...selfParam, ...params].join(', ')}):\n${body}${ret ? `\n${bodyIndent}${ret}` : ''}`;
  } else {
    const staticWord = a.asMethod && a.enclosingStatic ? 'static ' : '';
    const typeParams = usedTypeParams.length > 0 ? `<${usedTypeParams.join(', ')}>` : '';
    head = `${a.insertIndent}${a.asMethod ? `${staticWord}${asyncWord}` : `${asyncWord}function `}`;
    tail = `${typeParams}(${params.join(', ')})${returnType} {\n${body}${ret ? `\n${bodyIndent}${ret}` : ''}\n${a.insertIndent}}`;
  }
  // Separators: blank lines as the language's style wants between definitions.
  const topLevel = !a.asMethod && a.insertIndent === '';
  const blank = py && topLevel ? '\n\n\n' : '\n\n';
  const before = a.insertBefore ? '' : blank;
  const after = a.insertBefore ? blank : '';

  return {
    head: `${before}${head}`,
    tail: `${tail}${after}`,
    render(name: string) {
      const functionText = `${head}${name}${tail}`;
      const args = a.params.map((p) => p.name).join(', ');
      let callee = name;
      if (a.asMethod) callee = py ? `${a.selfName ?? 'self'}.${name}` : a.enclosingStatic && options.className ? `${options.className}.${name}` : `this.${name}`;
      const call = `${a.isAsync ? 'await ' : ''}${callee}(${args})`;
      const callIndent = baseIndent;
      const semi = py ? '' : ';';
      let site: string;
      if (a.tailReturn) site = `return ${call}${semi}`;
      else if (names.length === 0) site = `${call}${semi}`;
      else if (py) site = `${names.join(', ')} = ${call}`;
      else site = jsCallSite(a, call, callIndent, options.tempName ?? 'result');
      return {
        functionText,
        call: site,
        edits: [
          { start: a.insertAt, end: a.insertAt, newText: `${before}${functionText}${after}` },
          { start, end, newText: site },
        ],
      };
    },
  };
}

/** The checker's type unless it could only say `any` and the declaration says more. */
function preferChecker(checker: string | undefined, declared: string | undefined): string | undefined {
  return checker && !(checker === 'any' && declared) ? checker : declared;
}

function jsCallSite(a: ExtractAnalysis, call: string, indent: string, temp: string): string {
  const rs = a.returns;
  const declKeyword = (r: (typeof rs)[number]) => (r.reassignedAfter || r.binding.kind === 'let' || r.binding.kind === 'var' ? 'let' : 'const');
  if (rs.length === 1) {
    const r = rs[0];
    return r.declaredInside ? `${declKeyword(r)} ${r.name} = ${call};` : `${r.name} = ${call};`;
  }
  const names = rs.map((r) => r.name).join(', ');
  if (rs.every((r) => r.declaredInside)) {
    const kw = rs.some((r) => declKeyword(r) === 'let') ? 'let' : 'const';
    return `${kw} { ${names} } = ${call};`;
  }
  if (rs.every((r) => !r.declaredInside)) return `({ ${names} } = ${call});`;
  // Some are new, some already declared: go through a temporary.
  const lines = [`const ${temp} = ${call};`];
  for (const r of rs) lines.push(r.declaredInside ? `${declKeyword(r)} ${r.name} = ${temp}.${r.name};` : `${r.name} = ${temp}.${r.name};`);
  return lines.join(`\n${indent}`);
}

/** Lines inside multi-line strings (template literals, triple-quoted strings): their text is content and keeps its indentation. */
function protectedLines(statements: readonly Node[], text: string, from: number): Set<number> {
  const lines = new Set<number>();
  const lineOf = (o: number) => text.slice(from, o).split('\n').length - 1;
  const visit = (n: Node) => {
    if ((n.type === 'template_string' || n.type === 'string') && n.startPosition.row !== n.endPosition.row) {
      for (let l = lineOf(n.startIndex) + 1; l <= lineOf(n.endIndex); l++) lines.add(l);
      return;
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  statements.forEach(visit);
  return lines;
}

function reindent(text: string, from: number, to: number, base: string, target: string, keep: Set<number>): string {
  return text
    .slice(from, to)
    .split('\n')
    .map((l, i) => {
      if (keep.has(i)) return l;
      if (l.trim() === '') return '';
      if (l.startsWith(base)) return target + l.slice(base.length);
      return target + l.trimStart();
    })
    .join('\n');
}
