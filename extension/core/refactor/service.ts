/**
 * The refactorings behind one object, shared by the editor commands, the CLI and the bench:
 * documents in, checked file edits out. Every edit passes the tree-sitter check before it is
 * returned; a refusal is a RefactorError and nothing is returned to apply.
 */
import { LineIndex } from '../context/lineIndex';
import type { DocumentSnapshot } from '../context/types';
import { codeFromComment, completeFunctionBody } from './bodyFill';
import { fillDocComment, planDocComment, type DocFill } from './docComment';
import { checkEdit } from './editCheck';
import { extractEdits, planExtract, proposeNames, type ExtractPlan, type NameCandidate, type TypeOracle } from './extract';
import { generateTests } from './generateTests';
import { suggestNames, type NameSuggestion } from './names';
import { renameEdits, renameTarget } from './rename';
import type { SlotFiller } from './slotFiller';
import { requireSyntax, type SyntaxSource } from './syntaxSource';
import type { FileProbe } from './testFiles';
import { eolOf, toFileEdits, type FileEdit, type TextEdit } from './textEdits';

export type RefactorKind = 'docstring' | 'extract' | 'names' | 'tests' | 'body' | 'comment-code' | 'rewrite';

/** A document to refactor: its snapshot and the file path edits will name. */
export interface RefactorDocument extends DocumentSnapshot {
  readonly path: string;
}

export interface RefactorOutcome {
  readonly kind: RefactorKind;
  /** What the edit does, for the preview ("Generate doc comment for area"). */
  readonly title: string;
  readonly edits: readonly FileEdit[];
  /** Files the edits create (they do not exist yet; their edits insert at 0:0). */
  readonly createFiles: readonly string[];
  readonly details: Readonly<Record<string, unknown>>;
}

export interface RefactorDeps {
  readonly syntax: SyntaxSource;
  /** The model's slot filler; throws RefactorError('model') when no model can be used. */
  filler(signal?: AbortSignal): Promise<SlotFiller>;
  readonly probe?: FileProbe;
  /** A type checker for TypeScript parameter types of extracted functions. */
  types?(doc: RefactorDocument): TypeOracle | undefined;
}

export interface SlotOptions {
  readonly seed?: number;
  readonly signal?: AbortSignal;
}

/** An extraction planned, its names proposed, waiting for the user's choice. */
export interface PendingExtract {
  readonly plan: ExtractPlan;
  readonly names: readonly NameCandidate[];
  /** Model answers at the name slot and how many were legal, unbound identifiers. */
  readonly rawNames: number;
  readonly legalNames: number;
  finish(name: string): RefactorOutcome;
}

export class RefactorService {
  constructor(private readonly deps: RefactorDeps) {}

  async docComment(doc: RefactorDocument, offset: number, options: SlotOptions = {}): Promise<RefactorOutcome> {
    const syntax = await requireSyntax(this.deps.syntax, doc, 'Generate Doc Comment');
    const plan = planDocComment(syntax, offset);
    const filler = await this.deps.filler(options.signal);
    const result = await fillDocComment(syntax, plan, filler, { seed: options.seed, filePath: baseName(doc.path) }, options.signal);
    checkEdit(syntax.grammar.parser, doc.path, doc.text, [result.edit], 'the doc comment');
    const name = plan.definition.name || 'this definition';
    return this.outcome('docstring', `Generate doc comment for ${name}`, doc, [result.edit], {
      definition: { name: plan.definition.name, kind: plan.definition.kind, line: plan.definition.node.startPosition.row },
      style: plan.skeleton.style,
      params: plan.params.map((p) => p.name),
      replaces_existing: plan.replaces,
      slots: result.fills.map((f: DocFill) => ({ kind: f.slot.kind, key: f.slot.key, text: f.text, candidates: f.candidates })),
    });
  }

  /** Plans an extraction and asks the model for names; `finish(name)` makes the checked edit. */
  async extract(doc: RefactorDocument, start: number, end: number, options: SlotOptions = {}): Promise<PendingExtract> {
    const syntax = await requireSyntax(this.deps.syntax, doc, 'Extract Function');
    const plan = await planExtract(syntax, start, end, this.deps.types?.(doc), options.signal);
    const filler = await this.deps.filler(options.signal);
    const proposed = await proposeNames(plan, filler, { seed: options.seed, filePath: baseName(doc.path) }, options.signal);
    const a = plan.analysis;
    return {
      plan,
      names: proposed.names,
      rawNames: proposed.raw,
      legalNames: proposed.legal,
      finish: (name: string) => {
        const e = extractEdits(plan, name, doc.path);
        return this.outcome('extract', `Extract ${a.asMethod ? 'method' : 'function'} ${name}`, doc, e.edits, {
          name,
          candidates: proposed.names,
          parameters: a.params.map((p) => p.name),
          returns: a.returns.map((r) => r.name),
          as_method: a.asMethod,
          async: a.isAsync,
          function_text: e.functionText,
          call: e.call,
        });
      },
    };
  }

  /** Name suggestions for the identifier at `offset`, and the tree-sitter rename to the best one. */
  async names(doc: RefactorDocument, offset: number, options: SlotOptions = {}): Promise<{ suggestions: readonly NameSuggestion[]; raw: number; legal: number; current: string; rename(name: string): RefactorOutcome }> {
    const syntax = await requireSyntax(this.deps.syntax, doc, 'Suggest Names');
    const filler = await this.deps.filler(options.signal);
    const s = await suggestNames(syntax, offset, filler, { seed: options.seed, filePath: baseName(doc.path) }, options.signal);
    return {
      suggestions: s.names,
      raw: s.raw,
      legal: s.legal,
      current: s.target.name,
      rename: (name: string) => {
        const edits = renameEdits(syntax, renameTarget(syntax, offset), name);
        checkEdit(syntax.grammar.parser, doc.path, doc.text, edits, 'the rename');
        return this.outcome('names', `Rename ${s.target.name} to ${name}`, doc, edits, { from: s.target.name, to: name, candidates: s.names, occurrences: edits.length });
      },
    };
  }

  async tests(doc: RefactorDocument, offset: number, root: string, options: SlotOptions = {}): Promise<RefactorOutcome> {
    const syntax = await requireSyntax(this.deps.syntax, doc, 'Generate Tests');
    if (!this.deps.probe) throw new Error('Generate Tests needs file access (no FileProbe given)');
    const filler = await this.deps.filler(options.signal);
    const r = await generateTests({ doc: syntax, offset, sourcePath: doc.path, root, probe: this.deps.probe, syntax: this.deps.syntax, filler, seed: options.seed, signal: options.signal });
    const edits = toFileEdits(r.choice.path, r.before, withEol(r.edits, r.before || doc.text), new LineIndex(r.before));
    return {
      kind: 'tests',
      title: `Generate tests for ${r.functionName} in ${baseName(r.choice.path)}`,
      edits,
      createFiles: r.choice.exists ? [] : [r.choice.path],
      details: { test_file: r.choice.path, framework: r.choice.framework, framework_reason: r.choice.frameworkReason, cases: r.cases },
    };
  }

  async completeBody(doc: RefactorDocument, offset: number, options: SlotOptions = {}): Promise<RefactorOutcome> {
    const syntax = await requireSyntax(this.deps.syntax, doc, 'Complete Function Body');
    const filler = await this.deps.filler(options.signal);
    const r = await completeFunctionBody(syntax, offset, this.deps.syntax, filler, { seed: options.seed, filePath: baseName(doc.path) }, options.signal);
    checkEdit(syntax.grammar.parser, doc.path, doc.text, [r.edit], 'the function body');
    return this.outcome('body', `Complete the body of ${r.functionName || 'the function'}`, doc, [r.edit], { code: r.code });
  }

  async codeFromComment(doc: RefactorDocument, offset: number, options: SlotOptions = {}): Promise<RefactorOutcome> {
    const syntax = await requireSyntax(this.deps.syntax, doc, 'Generate Code from Comment');
    const filler = await this.deps.filler(options.signal);
    const r = await codeFromComment(syntax, offset, this.deps.syntax, filler, { seed: options.seed, filePath: baseName(doc.path) }, options.signal);
    checkEdit(syntax.grammar.parser, doc.path, doc.text, [r.edit], 'the generated code');
    return this.outcome('comment-code', 'Generate code from comment', doc, [r.edit], { code: r.code });
  }

  private outcome(kind: RefactorKind, title: string, doc: RefactorDocument, edits: readonly TextEdit[], details: Record<string, unknown>): RefactorOutcome {
    return { kind, title, edits: toFileEdits(doc.path, doc.text, withEol(edits, doc.text)), createFiles: [], details };
  }
}

/** New text in the file's own line endings. */
function withEol(edits: readonly TextEdit[], text: string): TextEdit[] {
  if (eolOf(text) === '\n') return [...edits];
  return edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') }));
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
