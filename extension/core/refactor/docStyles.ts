/**
 * Doc comment skeletons in each language's own style: the lines of the comment with slots the
 * model fills (the summary and one description per parameter, return value and exception).
 * Tree-sitter facts decide which lines exist; the model only writes the words.
 */
import type { GrammarId } from '../context/languages';
import type { BodyFacts } from './bodyFacts';
import type { DefinitionKind } from './definitions';
import type { Parameter } from './parameters';

export type DocStyle = 'jsdoc' | 'tsdoc' | 'python' | 'go' | 'rust' | 'csharp' | 'javadoc' | 'phpdoc' | 'doxygen' | 'yard' | 'shell';

export const DOC_STYLE: Readonly<Record<GrammarId, DocStyle>> = {
  typescript: 'tsdoc',
  tsx: 'tsdoc',
  javascript: 'jsdoc',
  python: 'python',
  go: 'go',
  rust: 'rust',
  csharp: 'csharp',
  java: 'javadoc',
  php: 'phpdoc',
  cpp: 'doxygen',
  ruby: 'yard',
  bash: 'shell',
};

export type SlotKind = 'summary' | 'param' | 'returns' | 'throws' | 'yields' | 'panics' | 'errors';

export interface DocSlot {
  readonly kind: SlotKind;
  /** The parameter name or exception type the slot describes. */
  readonly key: string;
}

/** One line of the comment: literal text around at most one slot. */
export interface DocLine {
  readonly before: string;
  readonly slot?: DocSlot;
  readonly after?: string;
}

export interface DocTarget {
  readonly kind: DefinitionKind;
  readonly name: string;
  readonly params: readonly Parameter[];
  readonly facts: BodyFacts;
}

export interface DocSkeleton {
  readonly style: DocStyle;
  /** Lines without indentation. */
  readonly lines: readonly DocLine[];
}

const line = (before: string, slot?: DocSlot, after = ''): DocLine => ({ before, slot, after });

/** The skeleton for `target` in `style`. */
export function docSkeleton(style: DocStyle, target: DocTarget): DocSkeleton {
  const { params, facts } = target;
  const isClass = target.kind === 'class';
  const summary: DocSlot = { kind: 'summary', key: target.name };
  const p = (name: string): DocSlot => ({ kind: 'param', key: name });
  const ret: DocSlot = { kind: 'returns', key: '' };
  const th = (t: string): DocSlot => ({ kind: 'throws', key: t });
  const tags = !isClass && (params.length > 0 || facts.returnsValue || facts.throws.length > 0 || facts.yields);
  const out: DocLine[] = [];
  switch (style) {
    case 'jsdoc':
    case 'tsdoc':
    case 'javadoc':
    case 'phpdoc':
    case 'doxygen': {
      out.push(line('/**'));
      out.push(line(style === 'doxygen' ? ' * @brief ' : ' * ', summary));
      if (tags) out.push(line(' *'));
      if (!isClass) {
        for (const param of params) {
          out.push(line(` * ${paramTag(style, param)} `, p(param.name)));
          for (const f of param.fields ?? []) out.push(line(` * @param ${param.name}.${f}${style === 'tsdoc' ? ' -' : ''} `, p(`${param.name}.${f}`)));
        }
        if (facts.returnsValue) out.push(line(` * ${returnTag(style, facts)} `, ret));
        if (facts.yields) out.push(line(style === 'doxygen' || style === 'javadoc' ? ' * @return ' : ' * @yields ', { kind: 'yields', key: '' }));
        for (const t of facts.throws) out.push(line(` * @throws ${style === 'jsdoc' || style === 'tsdoc' ? `{${t}}` : t} `, th(t)));
      }
      out.push(line(' */'));
      break;
    }
    case 'python': {
      out.push(line('"""', summary));
      if (!isClass) {
        const section = (title: string, items: DocLine[]) => {
          if (items.length === 0) return;
          out.push(line(''), line(`${title}:`), ...items);
        };
        section('Args', params.map((x) => line(`    ${x.name}: `, p(x.name))));
        if (facts.yields) section('Yields', [line('    ', { kind: 'yields', key: '' })]);
        else if (facts.returnsValue) section('Returns', [line('    ', ret)]);
        section('Raises', facts.throws.map((t) => line(`    ${t}: `, th(t))));
      }
      // One-line docstrings close on their line; longer ones close on a line of their own.
      if (out.length === 1) return { style, lines: [line('"""', summary, '"""')] };
      out.push(line('"""'));
      break;
    }
    case 'go':
      out.push(line(`// ${target.name} `, summary));
      break;
    case 'rust': {
      out.push(line('/// ', summary));
      if (!isClass) {
        const section = (title: string, items: DocLine[]) => {
          if (items.length === 0) return;
          out.push(line('///'), line(`/// # ${title}`), line('///'), ...items);
        };
        section('Arguments', params.map((x) => line(`/// * \`${x.name}\` - `, p(x.name))));
        if (facts.returnsValue && !facts.returnsResult) section('Returns', [line('/// ', ret)]);
        if (facts.returnsResult) section('Errors', [line('/// ', { kind: 'errors', key: '' })]);
        if (facts.panics) section('Panics', [line('/// ', { kind: 'panics', key: '' })]);
      }
      break;
    }
    case 'csharp':
      out.push(line('/// <summary>'), line('/// ', summary), line('/// </summary>'));
      if (!isClass) {
        for (const x of params) out.push(line(`/// <param name="${x.name}">`, p(x.name), '</param>'));
        if (facts.returnsValue) out.push(line('/// <returns>', ret, '</returns>'));
        for (const t of facts.throws) out.push(line(`/// <exception cref="${t}">`, th(t), '</exception>'));
      }
      break;
    case 'yard':
      out.push(line('# ', summary));
      if (tags) out.push(line('#'));
      if (!isClass) {
        for (const x of params) out.push(line(`# @param ${x.name.replace(/^[*&]+/, '')} `, p(x.name)));
        if (facts.returnsValue) out.push(line('# @return ', ret));
        for (const t of facts.throws) out.push(line(`# @raise [${t}] `, th(t)));
      }
      break;
    case 'shell':
      out.push(line('# ', summary));
      break;
  }
  return { style, lines: out };
}

function paramTag(style: DocStyle, param: Parameter): string {
  switch (style) {
    case 'tsdoc':
      return `@param ${param.name} -`;
    case 'jsdoc':
      return `@param ${param.optional && !param.rest ? `[${param.name}]` : param.name}`;
    case 'phpdoc':
      return `@param ${param.type ? `${param.type.replace(/^\?/, '')}${param.type.startsWith('?') ? '|null' : ''} ` : 'mixed '}${param.rest ? '...' : ''}${param.name}`;
    default:
      return `@param ${param.name}`;
  }
}

function returnTag(style: DocStyle, facts: BodyFacts): string {
  if (style === 'javadoc' || style === 'doxygen') return '@return';
  if (style === 'phpdoc') return `@return ${facts.returnType ?? 'mixed'}`;
  return '@returns';
}

/** The comment text: each line indented, slots replaced by `fills` (missing fills are empty). */
export function renderDoc(skeleton: DocSkeleton, indent: string, fills: ReadonlyMap<DocSlot, string> = new Map()): string {
  return skeleton.lines.map((l) => `${indent}${l.before}${l.slot ? (fills.get(l.slot) ?? '') : ''}${l.after ?? ''}`.trimEnd()).join('\n');
}

/** The slots in order of appearance. */
export function slotsOf(skeleton: DocSkeleton): DocSlot[] {
  return skeleton.lines.flatMap((l) => (l.slot ? [l.slot] : []));
}
