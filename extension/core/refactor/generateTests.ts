/**
 * Generate Tests for the function at the cursor: the project's test file (found or created) and
 * framework, one case per branch, the model filling each case body (FIM in the test file, with
 * the function under test as context), pending cases where it had nothing, checked for parse
 * errors before anything is written.
 */
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import type { SyntaxDocument } from '../context/parserService';
import { bodyFacts } from './bodyFacts';
import { fillHole } from './bodyFill';
import { definitionAt } from './definitions';
import { parametersOf } from './parameters';
import { parseErrors } from './editCheck';
import { RefactorError } from './errors';
import type { SlotFiller } from './slotFiller';
import type { SyntaxSource } from './syntaxSource';
import { bodyShape, cleanSlotAnswer, renderBody, type BodyPart } from './testBodies';
import { branchCases } from './testCases';
import { findTestFile, type FileProbe, type TestFileChoice } from './testFiles';
import { blockTemplate, subjectImport, type BlockTemplate } from './testTemplates';
import { applyTextEdits, indentUnit, type TextEdit } from './textEdits';

export interface TestsRequest {
  readonly doc: SyntaxDocument;
  readonly offset: number;
  readonly sourcePath: string;
  readonly root: string;
  readonly probe: FileProbe;
  readonly syntax: SyntaxSource;
  readonly filler: SlotFiller;
  readonly seed?: number;
  readonly signal?: AbortSignal;
}

export interface GeneratedTests {
  readonly choice: TestFileChoice;
  readonly functionName: string;
  readonly cases: readonly { readonly title: string; readonly written: boolean }[];
  /** Edits of the test file's current text ('' for a new file). */
  readonly edits: readonly TextEdit[];
  readonly before: string;
  readonly after: string;
}

export async function generateTests(req: TestsRequest): Promise<GeneratedTests> {
  const { doc, offset } = req;
  const grammar = doc.grammar.spec.id;
  const def = definitionAt(doc.tree.rootNode, grammar, offset);
  if (!def || def.kind === 'class') throw new RefactorError('no-target', `no function or method at line ${doc.lines.positionAt(offset).line + 1}: put the cursor in the function to test`);
  const choice = await findTestFile(req.sourcePath, req.root, grammar, req.probe);
  const before = choice.sameFile ? doc.text : choice.exists ? ((await req.probe.read(choice.path)) ?? '') : '';
  const facts = bodyFacts(def.node, grammar, def.kind === 'constructor');
  const branches = branchCases(def.node, facts.returnsValue);
  const titles = branches.map((b) => b.title);
  const className = def.kind === 'function' ? undefined : enclosingClassName(def.node);
  const subject = className ?? def.name;
  const js = grammar === 'typescript' || grammar === 'tsx' || grammar === 'javascript';
  const commonJs = js && isCommonJs(before || doc.text);
  const isAsync = def.node.children.some((c) => c?.type === 'async');
  const rustModule = grammar === 'rust' ? /^mod tests\s*\{/m.exec(before) : null;
  const block = blockTemplate({
    framework: choice.framework,
    functionName: def.name,
    subject,
    titles,
    unit: indentUnit(before || doc.text, grammar === 'python' || grammar === 'rust' ? '    ' : grammar === 'go' ? '\t' : '  '),
    isAsync,
    commonJs,
    inExistingModule: !!rustModule,
  });

  // Where the block goes, and the text around it.
  let at = before.length;
  if (rustModule) at = closingBraceLine(before, rustModule.index);
  else if (choice.framework === 'unittest') {
    const main = /^if __name__ == ["']__main__["']:/m.exec(before);
    if (main) at = main.index;
  }
  const lead = leadFor(before.slice(0, at), choice);
  const head = `${before.slice(0, at)}${lead}${block.header}`;
  const tail = `${block.footer}${before.slice(at)}`;

  // The model fills the cases one by one; each sees the ones before it. Where tree-sitter knows
  // the shape (a call, an expected value, a throws-check) the model fills only its slots.
  const context = doc.text.slice(def.attachStart, def.node.endIndex);
  const bodies: string[] = [];
  const shapeImports = new Set<string>();
  const required = parametersOf(def.node, grammar, def.kind !== 'function').filter((p) => !p.optional && !p.rest && !p.fields).map((p) => p.name);
  const isStatic = def.node.children.some((c) => c?.type === 'static') || /^@(staticmethod|classmethod)\b/m.test(def.outer.text);
  for (let i = 0; i < block.cases.length; i++) {
    req.signal?.throwIfAborted();
    const done = renderCases(block, bodies, i);
    const c = block.cases[i];
    const later = block.cases.slice(i + 1).map((x) => `${block.separator}${x.open}${x.close}`).join('');
    const around = (body: string) => `${head}${done}${c.open}${body}${c.close}${later}${tail}`;
    const shape =
      (grammar === 'go' && def.kind !== 'function') || (isAsync && !js)
        ? undefined
        : bodyShape({ framework: choice.framework, name: def.name, className: def.kind === 'function' ? undefined : className, isStatic, isAsync, returnsValue: facts.returnsValue, throws: branches[i].throws, indent: bodyIndentOf(c.open), params: required });
    if (shape) {
      const body = await fillShape(shape.parts, around, head.length + done.length + c.open.length, doc, req, basename(choice.path), context);
      if (body) shape.imports.forEach((x) => shapeImports.add(x));
      bodies.push(body);
      continue;
    }
    const hole = head.length + done.length + c.open.length;
    bodies.push(await fillHole(req.syntax, doc.languageId, around(''), hole, req.filler, { seed: req.seed, maxTokens: 96, context, filePath: basename(choice.path), mustMention: def.name }, req.signal));
  }
  const rest = before.slice(at);
  const gapAfter = rest.trim() && !rustModule ? (choice.framework === 'pytest' || choice.framework === 'unittest' ? '\n\n' : '\n') : '';
  const blockText = `${lead}${block.header}${renderCases(block, bodies, block.cases.length)}${block.footer}${gapAfter}`;

  // Imports the test file lacks.
  const pending = bodies.some((b) => !b.trim());
  const wanted = [...block.imports, ...(pending ? block.pendingImports : []), ...shapeImports];
  const subjectLine = choice.sameFile || grammar === 'go' ? undefined : subjectImport(choice.framework, subject, importPath(req, choice, grammar), isDefaultExport(def.outer.text), commonJs);
  if (subjectLine) {
    if (js) checkExported(doc, def.outer, subject, req.sourcePath);
    wanted.push(subjectLine);
  }
  const missing = wanted.filter((line) => !hasImport(before, line));
  const edits: TextEdit[] = [];
  if (before === '') {
    const pkg = grammar === 'go' ? `package ${goPackage(doc)}\n\n` : '';
    const gap = grammar === 'python' ? '\n\n\n' : '\n\n';
    edits.push({ start: 0, end: 0, newText: `${pkg}${missing.join('\n')}${missing.length ? gap : ''}${blockText.replace(/^\n+/, '')}` });
  } else {
    if (missing.length) {
      const pos = importInsertAt(before, grammar === 'go');
      edits.push({ start: pos.offset, end: pos.offset, newText: `${pos.lead}${missing.join('\n')}\n${pos.trail}` });
    }
    edits.push({ start: at, end: at, newText: blockText });
  }
  const after = applyTextEdits(before, edits);
  const errorsBefore = before ? parseErrors(doc.grammar.parser, before).count : 0;
  const errorsAfter = parseErrors(doc.grammar.parser, after);
  if (errorsAfter.count > errorsBefore) {
    throw new RefactorError('parse-errors', `the generated tests would add parse errors to ${choice.path} (first at line ${errorsAfter.firstLine}); nothing was changed`);
  }
  return { choice, functionName: def.name, cases: titles.map((title, i) => ({ title, written: !!bodies[i]?.trim() })), edits, before, after };
}

/**
 * Fills a body shape's slots one by one (FIM at each, the rest of the shape after it). A slot
 * answer that makes the file parse worse than leaving it empty is dropped; the body is '' (the
 * case stays pending) when an argument or the expected value could not be filled.
 */
async function fillShape(parts: readonly BodyPart[], around: (body: string) => string, at: number, doc: SyntaxDocument, req: TestsRequest, filePath: string, context: string): Promise<string> {
  const fills = new Map<number, string>();
  for (const [k, part] of parts.entries()) {
    if (typeof part === 'string') continue;
    const before = renderBody(parts.slice(0, k), fills);
    const after = renderBody(parts.slice(k + 1), new Map([...fills].map(([key, v]) => [key - k - 1, v])));
    const text = (answer: string) => around(`${before}${answer}${after}`);
    const baseline = parseErrors(doc.grammar.parser, text('')).count;
    const candidates = await req.filler.fill(
      {
        prefix: around(before).slice(0, at + before.length),
        suffix: `${after}${around('').slice(at)}`,
        stop: ['\n'],
        maxTokens: 24,
        candidates: 3,
        seed: req.seed,
        filePath,
        context,
        scoring: 'mean',
        accept: (raw) => {
          const answer = cleanSlotAnswer(raw, part.slot === 'arg');
          if (!answer || !isValueLike(answer)) return undefined;
          return parseErrors(doc.grammar.parser, text(answer)).count <= baseline ? answer : undefined;
        },
      },
      req.signal,
    );
    const best = candidates[0]?.text;
    if (!best && part.slot !== 'ctor') return '';
    fills.set(k, best ?? '');
  }
  // The whole case must parse as well as an empty one does.
  const body = renderBody(parts, fills);
  const empty = doc.grammar.spec.id === 'python' ? 'pass' : '';
  return parseErrors(doc.grammar.parser, around(body)).count <= parseErrors(doc.grammar.parser, around(empty)).count ? body : '';
}

/**
 * An argument or expected value must be a value the test can write down: not a bare name (the
 * test file defines none; literals like true/None/nil are fine) and not `name=value`.
 */
function isValueLike(answer: string): boolean {
  if (/^[A-Za-z_$][\w$]*$/.test(answer)) return /^(true|false|True|False|None|null|undefined|nil|NaN|Infinity)$/.test(answer);
  return !/^[A-Za-z_$][\w$]*\s*=(?!=)/.test(answer);
}

/** The indentation a case body's lines have (the end of the case's opening text). */
function bodyIndentOf(open: string): string {
  return /[ \t]*$/.exec(open)![0];
}

function renderCases(block: BlockTemplate, bodies: readonly string[], count: number): string {
  return block.cases
    .slice(0, count)
    .map((c, i) => (bodies[i]?.trim() ? `${c.open}${bodies[i]}${c.close}` : c.pending))
    .map((t, i) => (i > 0 ? `${block.separator}${t}` : t))
    .join('')
    .concat(count > 0 && count < block.cases.length ? block.separator : '');
}

function leadFor(text: string, choice: TestFileChoice): string {
  if (text === '') return '';
  const gap = choice.framework === 'pytest' || choice.framework === 'unittest' ? 2 : 1;
  const trailing = /\n*$/.exec(text)![0].length;
  return '\n'.repeat(Math.max(0, gap + 1 - trailing));
}

function closingBraceLine(text: string, moduleStart: number): number {
  let depth = 0;
  for (let i = text.indexOf('{', moduleStart); i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.lastIndexOf('\n', i - 1) + 1;
  }
  return text.length;
}

function enclosingClassName(node: import('web-tree-sitter').Node): string | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (/class_(declaration|definition|specifier)$|^class$/.test(p.type)) return p.childForFieldName('name')?.text;
    if (p.type === 'impl_item') return p.childForFieldName('type')?.text;
  }
  return undefined;
}

function isCommonJs(text: string): boolean {
  return /\brequire\(|module\.exports|\bexports\.\w+\s*=/.test(text) && !/^\s*(import|export)\s/m.test(text);
}

function isDefaultExport(outer: string): boolean {
  return /^export\s+default\b/.test(outer);
}

function checkExported(doc: SyntaxDocument, outer: import('web-tree-sitter').Node, name: string, path: string): void {
  if (outer.type === 'export_statement') return;
  const re = new RegExp(`export\\s*\\{[^}]*\\b${name}\\b|module\\.exports[^\\n]*\\b${name}\\b|exports\\.${name}\\s*=`);
  if (!re.test(doc.text)) throw new RefactorError('no-target', `'${name}' is not exported from ${basename(path)}: export it so a test can import it`);
}

function importPath(req: TestsRequest, choice: TestFileChoice, grammar: string): string {
  const src = req.sourcePath;
  const ext = extname(src);
  if (grammar === 'python') {
    const stem = basename(src, ext);
    if (dirname(choice.path) === dirname(src)) return stem;
    const parts = relative(req.root, src.slice(0, -ext.length)).split(sep);
    return (parts[0] === 'src' ? parts.slice(1) : parts).join('.');
  }
  let rel = relative(dirname(choice.path), src.slice(0, -ext.length)).split(sep).join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  // ES modules that import with extensions (TypeScript's NodeNext style) get one here too.
  const usesJsExt = /from\s+['"]\.{1,2}\/[^'"]+\.js['"]/.test(req.doc.text);
  return usesJsExt ? `${rel}.js` : rel;
}

function hasImport(text: string, line: string): boolean {
  if (text.includes(line)) return true;
  const from = /from ['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)|^import "([^"]+)"/.exec(line);
  const mod = from?.[1] ?? from?.[2] ?? from?.[3];
  if (line.startsWith('import pytest') || line.startsWith('import unittest')) return new RegExp(`^${line}$`, 'm').test(text);
  if (line.startsWith('from ')) return new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'm').test(text);
  return !!mod && new RegExp(`['"]${mod.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`).test(text);
}

/** After the last import at the top (or the package clause / shebang / 'use strict'). */
function importInsertAt(text: string, go: boolean): { offset: number; lead: string; trail: string } {
  const lines = text.split('\n');
  let offset = 0;
  let lastImportEnd = -1;
  let headerEnd = 0;
  for (let i = 0, pos = 0; i < lines.length && i < 200; pos += lines[i].length + 1, i++) {
    const l = lines[i];
    if (/^(import\b|from\s+\S+\s+import\b|const\s+\S.*=\s*require\()/.test(l)) lastImportEnd = pos + l.length + 1;
    else if (/^(package\s|#!|['"]use strict['"])/.test(l)) headerEnd = pos + l.length + 1;
  }
  if (lastImportEnd >= 0) offset = lastImportEnd;
  else offset = headerEnd;
  return { offset: Math.min(offset, text.length), lead: go && lastImportEnd < 0 ? '\n' : '', trail: lastImportEnd < 0 && offset > 0 ? '\n' : '' };
}

function goPackage(doc: SyntaxDocument): string {
  const clause = doc.tree.rootNode.namedChildren.find((c) => c?.type === 'package_clause');
  return clause?.namedChild(0)?.text ?? basename(dirname(join(doc.uri)));
}
