/**
 * Generate Doc Comment: the definition at the cursor gets a comment in its language's style.
 * Tree-sitter finds the definition, its parameters, return value and exceptions and builds the
 * skeleton; the model fills each slot in order (each fill sees the ones before it); an existing
 * doc comment of the definition is replaced.
 */
import type { SyntaxDocument } from '../context/parserService';
import type { GrammarId } from '../context/languages';
import { bodyFacts } from './bodyFacts';
import { definitionAt, definitionBelow, type Definition } from './definitions';
import { DOC_STYLE, docSkeleton, type DocSkeleton, type DocSlot, type DocStyle } from './docStyles';
import { RefactorError } from './errors';
import { parametersOf, type Parameter } from './parameters';
import type { SlotFiller } from './slotFiller';
import { indentAt, lineStartOf, type TextEdit } from './textEdits';

export interface DocPlan {
  readonly definition: Definition;
  readonly params: readonly Parameter[];
  readonly skeleton: DocSkeleton;
  readonly indent: string;
  /** The text the comment replaces (empty range: an insertion). */
  readonly start: number;
  readonly end: number;
  /** Whether an existing doc comment is replaced. */
  readonly replaces: boolean;
}

/** Where and what shape the doc comment of the definition at `offset` has. */
export function planDocComment(doc: SyntaxDocument, offset: number): DocPlan {
  const grammar = doc.grammar.spec.id;
  const root = doc.tree.rootNode;
  const definition = definitionBelow(root, grammar, doc.text, offset) ?? definitionAt(root, grammar, offset);
  if (!definition) {
    const line = doc.lines.positionAt(offset).line + 1;
    throw new RefactorError('no-target', `no function, method or class at line ${line}: put the cursor inside or on the line above one`);
  }
  const style = DOC_STYLE[grammar];
  const params = parametersOf(definition.node, grammar, definition.kind !== 'function' && definition.kind !== 'class');
  const facts = bodyFacts(definition.node, grammar, definition.kind === 'constructor');
  const skeleton = docSkeleton(style, { kind: definition.kind, name: definition.name, params, facts });
  if (style === 'python') return { definition, params, skeleton, ...pythonPlacement(doc, definition) };
  const lineStart = lineStartOf(doc.text, definition.attachStart);
  const indent = indentAt(doc.text, definition.attachStart);
  const existing = existingDocAbove(doc, lineStart, style);
  return { definition, params, skeleton, indent, start: existing ?? lineStart, end: lineStart, replaces: existing !== undefined };
}

/** Python docstrings go inside: the first statement of the body. */
function pythonPlacement(doc: SyntaxDocument, def: Definition): Pick<DocPlan, 'indent' | 'start' | 'end' | 'replaces'> {
  const body = def.node.childForFieldName('body');
  const first = body?.namedChild(0);
  if (!body || !first || first.startPosition.row === def.node.startPosition.row) {
    throw new RefactorError('no-target', `${def.name || 'this definition'} (line ${def.node.startPosition.row + 1}) has its body on the header line; put the body on its own line first`);
  }
  // A comment before the first statement is a child too: the docstring goes before it.
  const start = lineStartOf(doc.text, first.startIndex);
  const indent = indentAt(doc.text, first.startIndex);
  const stmt = body.namedChildren.find((c) => c && c.type !== 'comment');
  if (stmt && stmt.type === 'expression_statement' && stmt.namedChild(0)?.type === 'string' && stmt.namedChildCount === 1) {
    const s = lineStartOf(doc.text, stmt.startIndex);
    const nl = doc.text.indexOf('\n', stmt.endIndex);
    return { indent, start: s, end: nl === -1 ? doc.text.length : nl + 1, replaces: true };
  }
  return { indent, start, end: start, replaces: false };
}

/** Start of the doc comment that ends on the line right above `lineStart`, if there is one. */
function existingDocAbove(doc: SyntaxDocument, lineStart: number, style: DocStyle): number | undefined {
  const text = doc.text;
  const commentAt = (offset: number) => {
    const node = doc.tree.rootNode.descendantForIndex(offset, offset);
    return node?.type.includes('comment') ? node : undefined;
  };
  const firstNonBlank = (from: number) => from + (text.slice(from).length - text.slice(from).trimStart().length);
  if (lineStart === 0) return undefined;
  const prevStart = lineStartOf(text, lineStart - 1);
  const prev = text.slice(prevStart, lineStart - 1).trim();
  if (LINE_MARKER[style] === undefined) {
    // Block styles: a `/** … */` comment whose `*/` ends the line above and that starts its own line.
    if (!prev.endsWith('*/')) return undefined;
    const node = commentAt(text.lastIndexOf('*/', lineStart - 1));
    if (!node || !node.text.startsWith('/**')) return undefined;
    const start = lineStartOf(text, node.startIndex);
    return text.slice(start, node.startIndex).trim() === '' ? start : undefined;
  }
  let start: number | undefined;
  for (let cursor = lineStart; cursor > 0; ) {
    const s = lineStartOf(text, cursor - 1);
    const line = text.slice(s, cursor - 1).trim();
    if (!LINE_MARKER[style].test(line) || !commentAt(firstNonBlank(s))) break;
    start = s;
    cursor = s;
  }
  return start;
}

/** Line-comment doc styles: what each line of an existing doc comment starts with. */
const LINE_MARKER: Partial<Record<DocStyle, RegExp>> = {
  rust: /^\/\/\//,
  csharp: /^\/\/\//,
  go: /^\/\//,
  yard: /^#(?![![])/,
  shell: /^#(?![![])/,
};

export interface DocFill {
  readonly slot: DocSlot;
  readonly text: string;
  readonly candidates: readonly string[];
}

export interface DocResult {
  readonly plan: DocPlan;
  readonly edit: TextEdit;
  readonly fills: readonly DocFill[];
}

const SLOT_CLOSERS = ['*/', '"""', "'''", '</param>', '</returns>', '</summary>', '</exception>'];

/** Fills the skeleton's slots one by one with the model and returns the edit. */
export async function fillDocComment(doc: SyntaxDocument, plan: DocPlan, filler: SlotFiller, options: { seed?: number; candidates?: number; filePath?: string } = {}, signal?: AbortSignal): Promise<DocResult> {
  const fills = new Map<DocSlot, string>();
  const results: DocFill[] = [];
  const before = doc.text.slice(0, plan.start);
  const after = doc.text.slice(plan.end);
  const lines = plan.skeleton.lines;
  const renderLine = (i: number) => {
    const l = lines[i];
    return `${plan.indent}${l.before}${l.slot ? (fills.get(l.slot) ?? '') : ''}${l.after ?? ''}`.trimEnd();
  };
  for (const [i, l] of lines.entries()) {
    if (!l.slot) continue;
    const slot = l.slot;
    const head = lines.slice(0, i).map((_, j) => `${renderLine(j)}\n`).join('');
    const tail = lines.slice(i + 1).map((_, j) => `\n${renderLine(i + 1 + j)}`).join('');
    const candidates = await filler.fill(
      {
        prefix: `${before}${head}${plan.indent}${l.before}`,
        suffix: `${l.after ?? ''}${tail}\n${after}`,
        stop: ['\n', ...SLOT_CLOSERS],
        maxTokens: slot.kind === 'summary' ? 32 : 20,
        candidates: options.candidates ?? 3,
        seed: options.seed,
        filePath: options.filePath,
        scoring: 'mean',
        accept: (raw) => cleanProse(raw, plan.skeleton.style),
      },
      signal,
    );
    const text = candidates[0]?.text ?? '';
    fills.set(slot, text);
    results.push({ slot, text, candidates: candidates.map((c) => c.text) });
  }
  const comment = lines.map((_, i) => renderLine(i)).join('\n');
  return { plan, edit: { start: plan.start, end: plan.end, newText: `${comment}\n` }, fills: results };
}

/** One line of prose: no comment closers, no code fences, bounded. */
export function cleanProse(raw: string, style: DocStyle): string | undefined {
  let t = raw.split('\n')[0];
  for (const closer of SLOT_CLOSERS) {
    const i = t.indexOf(closer);
    if (i !== -1) t = t.slice(0, i);
  }
  if (style === 'python') t = t.replace(/\\+$/, '');
  t = t.replace(/\s+/g, ' ').trim();
  // A type in braces is the tag's business, not the description's; a tag is not a description.
  if (style === 'jsdoc' || style === 'tsdoc') t = t.replace(/^\{[^}]*\}\s*/, '').replace(/^-\s+/, '');
  if (t.startsWith('@') || t.startsWith('<')) return undefined;
  if (t.length > 160) t = t.slice(0, t.lastIndexOf(' ', 160) > 40 ? t.lastIndexOf(' ', 160) : 160).trim();
  // Text that is only punctuation or a comment leader is not a description.
  if (!/[\p{L}\p{N}]/u.test(t)) return undefined;
  return t;
}

/** The parameter names a generated comment documents, in order (for checks and the bench). */
export function documentedParams(comment: string, style: DocStyle): string[] {
  const re: Record<DocStyle, RegExp | undefined> = {
    tsdoc: /@param\s+([\w$]+)\b(?!\.)/g,
    jsdoc: /@param\s+(?:\{[^}]*\}\s+)?\[?([\w$]+)\b(?!\.)/g,
    javadoc: /@param\s+(\w+)/g,
    doxygen: /@param(?:\[\w+\])?\s+(\w+|\.\.\.)/g,
    phpdoc: /@param\s+(?:\S+\s+)?(?:\.\.\.)?(\$\w+)/g,
    python: /^\s{4,}(\*{0,2}\w+)(?:\s*\([^)]*\))?:/gm,
    rust: /^\s*\/\/\/ \* `([^`]+)`/gm,
    csharp: /<param name="([^"]+)">/g,
    yard: /@param\s+(\w+)/g,
    go: undefined,
    shell: undefined,
  };
  const r = re[style];
  if (!r) return [];
  return [...comment.matchAll(r)].map((m) => m[1]);
}

export function docStyleOf(grammar: GrammarId): DocStyle {
  return DOC_STYLE[grammar];
}
