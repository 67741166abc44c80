/**
 * Multi-line slots: Complete Function Body (an empty or stub body: `pass`, `...`, a TODO,
 * `throw new Error('not implemented')`, `raise NotImplementedError`, `unimplemented!()`,
 * `todo!()`, `panic("TODO")`) and Generate Code from Comment (the comment at the cursor becomes
 * code below it). The model fills the hole; the completion pipeline's block truncation cuts each
 * candidate where its block ends or before lines that add parse errors.
 */
import type { Node } from 'web-tree-sitter';
import { cutRepetitionLoop } from '../completion/postprocess';
import { truncateCompletion } from '../context/truncation';
import type { SyntaxDocument } from '../context/parserService';
import { definitionAt } from './definitions';
import { RefactorError } from './errors';
import type { SlotFiller } from './slotFiller';
import { withScratchSyntax, type SyntaxSource } from './syntaxSource';
import { indentAt, indentUnit, lineStartOf, type TextEdit } from './textEdits';

export interface FillOptions {
  readonly seed?: number;
  readonly candidates?: number;
  readonly maxTokens?: number;
  readonly filePath?: string;
  readonly context?: string;
  /** Candidates that do not use this identifier are dropped (a test must call what it tests). */
  readonly mustMention?: string;
}

/**
 * Fills the hole at `offset` of `text` (a text with nothing at the hole): candidates truncated
 * to their block, best by mean logprob. Empty when the model had nothing usable.
 */
export async function fillHole(source: SyntaxSource, languageId: string, text: string, offset: number, filler: SlotFiller, options: FillOptions, signal?: AbortSignal): Promise<string> {
  return withScratchSyntax(source, languageId, text, async (doc) => {
    const candidates = await filler.fill(
      {
        prefix: text.slice(0, offset),
        suffix: text.slice(offset),
        stop: [],
        maxTokens: options.maxTokens ?? 128,
        candidates: options.candidates ?? 3,
        seed: options.seed,
        filePath: options.filePath,
        context: options.context,
        scoring: 'mean',
        accept: (raw) => {
          const cut = truncateCompletion(doc, offset, cutRepeatedLines(cutRepetitionLoop(raw)), { multiline: true }).text.trimEnd();
          if (!cut.trim()) return undefined;
          if (options.mustMention && !new RegExp(`\\b${options.mustMention.replace(/[$]/g, '\\$')}\\b`).test(cut)) return undefined;
          return cut;
        },
      },
      signal,
    );
    return candidates[0]?.text ?? '';
  });
}

/** A degenerate answer that repeats a line three times or more: kept up to its first copy. */
export function cutRepeatedLines(text: string): string {
  const lines = text.split('\n');
  for (let i = 2; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l && l === lines[i - 1].trim() && l === lines[i - 2].trim()) return lines.slice(0, i - 1).join('\n');
  }
  return text;
}

const STUB_TEXT = /^(pass|\.\.\.|todo!\(.*\)|unimplemented!\(.*\)|panic!?\((["'`]).*(todo|implement).*\2\)|raise NotImplementedError(\(.*\))?|throw new Error\((["'`]).*(todo|implement).*\5\);?)$/i;

/** The stub statements of a body (empty array for an empty body); undefined when the body does real work. */
function stubStatements(body: Node): Node[] | undefined {
  const out: Node[] = [];
  for (const c of body.namedChildren) {
    if (!c) continue;
    if (c.type.includes('comment')) continue;
    if (c.type === 'statement_list') {
      const inner = stubStatements(c);
      if (!inner) return undefined;
      out.push(...inner);
      continue;
    }
    // A docstring stays; it is not work and not a stub.
    if (out.length === 0 && c.type === 'expression_statement' && c.namedChildCount === 1 && c.namedChild(0)?.type === 'string' && body.type === 'block') continue;
    if (STUB_TEXT.test(c.text.replace(/\s+/g, ' ').trim())) {
      out.push(c);
      continue;
    }
    return undefined;
  }
  return out;
}

export interface BodyResult {
  readonly edit: TextEdit;
  readonly code: string;
  readonly functionName: string;
}

/** Complete Function Body for the function at `offset`. */
export async function completeFunctionBody(doc: SyntaxDocument, offset: number, source: SyntaxSource, filler: SlotFiller, options: FillOptions = {}, signal?: AbortSignal): Promise<BodyResult> {
  const grammar = doc.grammar.spec.id;
  const line = doc.lines.positionAt(offset).line + 1;
  const def = definitionAt(doc.tree.rootNode, grammar, offset);
  if (!def || def.kind === 'class') throw new RefactorError('no-target', `no function or method at line ${line}`);
  const body = def.node.childForFieldName('body');
  if (!body) throw new RefactorError('no-target', `${def.name || 'the function'} (line ${def.node.startPosition.row + 1}) has no body to complete`);
  const stubs = stubStatements(body);
  if (!stubs) throw new RefactorError('no-target', `${def.name || 'the function'} already has a body; Complete Function Body fills empty or stub bodies (pass, TODO, throw new Error('not implemented'), unimplemented!())`);
  const py = grammar === 'python';
  const unit = indentUnit(doc.text, py ? '    ' : '  ');
  const indent = stubs.length > 0 ? indentAt(doc.text, stubs[0].startIndex) : indentAt(doc.text, def.node.startIndex) + unit;
  // The hole: where the stub was (or a fresh line inside the braces).
  let start: number;
  let end: number;
  let lead: string;
  let trail = '';
  if (stubs.length > 0) {
    start = stubs[0].startIndex;
    end = stubs[stubs.length - 1].endIndex;
    lead = '';
  } else {
    const open = py ? body.startIndex : body.startIndex + 1;
    start = open;
    end = py ? body.endIndex : body.endIndex - 1;
    const inner = doc.text.slice(start, end);
    if (inner.trim() !== '') start = end = lineStartOf(doc.text, end);
    lead = inner.trim() === '' ? `\n${indent}` : indent;
    trail = inner.trim() === '' ? `\n${indentAt(doc.text, def.node.startIndex)}` : '\n';
  }
  const holed = doc.text.slice(0, start) + lead + trail + doc.text.slice(end);
  const hole = start + lead.length;
  const code = await fillHole(source, doc.languageId, holed, hole, filler, { maxTokens: 160, ...options }, signal);
  if (!code.trim()) throw new RefactorError('no-candidates', `the model wrote no usable body for ${def.name || 'the function'} (every candidate was empty or did not parse)`);
  return { edit: { start, end, newText: `${lead}${code}${trail}` }, code, functionName: def.name };
}

/** Generate Code from Comment: the comment at `offset` becomes code on the lines below it. */
export async function codeFromComment(doc: SyntaxDocument, offset: number, source: SyntaxSource, filler: SlotFiller, options: FillOptions = {}, signal?: AbortSignal): Promise<BodyResult> {
  const lineStart = lineStartOf(doc.text, offset);
  const firstNonBlank = lineStart + (doc.text.slice(lineStart).length - doc.text.slice(lineStart).trimStart().length);
  let comment = doc.tree.rootNode.descendantForIndex(Math.min(Math.max(offset, firstNonBlank), doc.text.length));
  while (comment && !comment.type.includes('comment') && comment.parent && comment.startIndex === comment.parent.startIndex) comment = comment.parent;
  if (!comment || !comment.type.includes('comment')) {
    throw new RefactorError('no-target', `no comment at line ${doc.lines.positionAt(offset).line + 1}: put the cursor on a comment that says what the code should do`);
  }
  // A run of line comments counts as one.
  let last = comment;
  for (let next = last.nextSibling; next && next.type.includes('comment') && next.startPosition.row === last.endPosition.row + 1; next = next.nextSibling) last = next;
  const nl = doc.text.indexOf('\n', last.endIndex);
  const at = nl === -1 ? doc.text.length : nl;
  const indent = indentAt(doc.text, comment.startIndex);
  const lead = `\n${indent}`;
  const holed = doc.text.slice(0, at) + lead + doc.text.slice(at);
  const code = await fillHole(source, doc.languageId, holed, at + lead.length, filler, { maxTokens: 128, ...options }, signal);
  if (!code.trim()) throw new RefactorError('no-candidates', `the model wrote no usable code for the comment at line ${comment.startPosition.row + 1}`);
  return { edit: { start: at, end: at, newText: `${lead}${code}` }, code, functionName: '' };
}
