/**
 * Extract Function / Method end to end: analysis (tree-sitter), parameter types (a type oracle,
 * for TypeScript), name candidates (the model, FIM at the name slot, ranked by its logprobs),
 * and the edits for the chosen name, checked for parse errors.
 */
import type { SyntaxDocument } from '../context/parserService';
import { analyzeExtract, type ExtractAnalysis } from './extractAnalysis';
import { renderExtract, type ExtractTexts } from './extractRender';
import { checkEdit } from './editCheck';
import { RefactorError } from './errors';
import { identifierProblem, leadingIdentifier } from './identifiers';
import type { SlotFiller } from './slotFiller';
import type { TextEdit } from './textEdits';

/** Types of expressions at offsets of the document, from a type checker (TypeScript). */
export interface TypeOracle {
  /**
   * The type of `name` at `offset`: its narrowed type at a use (`use`), or its declared type at
   * its declaration (`declared`, for variables the extracted code assigns).
   */
  typeAt(offset: number, name: string, mode: 'use' | 'declared', signal?: AbortSignal): Promise<string | undefined>;
}

export interface ExtractPlan {
  readonly doc: SyntaxDocument;
  readonly analysis: ExtractAnalysis;
  readonly texts: ExtractTexts;
  /** Why a name cannot be used for the new function, or undefined when it can. */
  nameProblem(name: string): string | undefined;
}

export interface NameCandidate {
  readonly name: string;
  /** `model`: ranked by its logprob; `fallback`: from the return value, when the model offered fewer than three. */
  readonly source: 'model' | 'fallback';
  readonly logprob?: number;
}

export interface ExtractEdit {
  readonly name: string;
  readonly edits: readonly TextEdit[];
  readonly functionText: string;
  readonly call: string;
}

export async function planExtract(doc: SyntaxDocument, start: number, end: number, types?: TypeOracle, signal?: AbortSignal): Promise<ExtractPlan> {
  const grammar = doc.grammar.spec.id;
  const analysis = analyzeExtract(doc.tree.rootNode, doc.text, grammar, start, end);
  const typescript = grammar === 'typescript' || grammar === 'tsx';
  const known = new Map<string, string>();
  if (typescript && types) {
    const { start: s, end: e } = analysis.selection;
    for (const p of [...analysis.params, ...analysis.locals]) {
      const written = analysis.scopes.references.some((r) => r.binding === p.binding && r.write && r.node.startIndex >= s && r.node.endIndex <= e);
      // Assigned in the selection: the declared type (at its declaration), else the type where it is used.
      const decl = p.binding.declarations[0];
      const t = written && decl ? await types.typeAt(decl.startIndex, p.name, 'declared', signal) : await types.typeAt(p.at, p.name, 'use', signal);
      if (t) known.set(p.name, t);
    }
  }
  const callScope = analysis.scopes.scopeAt(analysis.selection.start);
  const taken = (name: string) => !!analysis.scopes.resolve(name, callScope) || analysis.scopes.root.bindings.has(name) || analysis.scopes.references.some((r) => r.name === name);
  const tempName = ['result', 'extracted', 'values', 'out'].find((n) => !taken(n)) ?? 'extractedValues';
  const className = classNameOf(analysis);
  const texts = renderExtract(analysis, doc.text, { types: known, tempName, typescript, className });
  const members = analysis.asMethod ? classMembers(analysis) : new Set<string>();
  const nameProblem = (name: string) => {
    const p = identifierProblem(name, grammar);
    if (p) return p;
    if (analysis.asMethod ? members.has(name) : taken(name)) return `'${name}' is already used in this ${analysis.asMethod ? 'class' : 'file'}`;
    return undefined;
  };
  return { doc, analysis, texts, nameProblem };
}

/** Name candidates for the new function: the model fills the name slot; most likely first, at least three. */
export async function proposeNames(plan: ExtractPlan, filler: SlotFiller, options: { seed?: number; candidates?: number; filePath?: string } = {}, signal?: AbortSignal): Promise<{ names: NameCandidate[]; raw: number; legal: number }> {
  const { text } = plan.doc;
  const grammar = plan.doc.grammar.spec.id;
  const at = plan.analysis.insertAt;
  let raw = 0;
  let legal = 0;
  const slot = (prefix: string, suffix: string) =>
    filler.fill(
      {
        prefix,
        suffix,
        stop: ['(', '<', '\n', ' ', ':', '{', ')', ';', ','],
        maxTokens: 10,
        candidates: options.candidates ?? 5,
        seed: options.seed,
        filePath: options.filePath,
        scoring: 'total',
        accept: (answer) => {
          raw++;
          const name = leadingIdentifier(answer, grammar);
          // One- and two-letter names are legal but say nothing about what the code does.
          if (name.length < 3 || plan.nameProblem(name)) return undefined;
          legal++;
          return name;
        },
      },
      signal,
    );
  // The name slot of the definition (the body follows it)…
  const candidates = await slot(`${text.slice(0, at)}${plan.texts.head}`, `${plan.texts.tail}${text.slice(at)}`);
  const names: NameCandidate[] = candidates.map((c) => ({ name: c.text, source: 'model', logprob: c.logprob }));
  // …and when that gave fewer than three, the callee slot of the call when it assigns values
  // (`let total = |(items);`), ranked after them.
  const { start, end } = plan.analysis.selection;
  const call = plan.texts.render(NAME_MARK).call;
  const mark = call.indexOf(NAME_MARK);
  if (names.length < 3 && plan.analysis.returns.length > 0 && mark > 0 && !call.includes('\n')) {
    for (const c of await slot(`${text.slice(0, start)}${call.slice(0, mark)}`, `${call.slice(mark + NAME_MARK.length)}${text.slice(end)}`)) {
      if (!names.some((n) => n.name === c.text)) names.push({ name: c.text, source: 'model', logprob: c.logprob });
    }
  }
  for (const f of fallbackNames(plan)) {
    if (names.length >= 3) break;
    if (!names.some((n) => n.name === f) && !plan.nameProblem(f)) names.push({ name: f, source: 'fallback' });
  }
  return { names, raw, legal };
}

/** The edits for `name`, refused when the name is not usable or the result does not parse. */
export function extractEdits(plan: ExtractPlan, name: string, file: string): ExtractEdit {
  const problem = plan.nameProblem(name);
  if (problem) throw new RefactorError('invalid-name', `cannot name the new function that: ${problem}`);
  const r = plan.texts.render(name);
  checkEdit(plan.doc.grammar.parser, file, plan.doc.text, r.edits, 'the extracted function');
  return { name, edits: r.edits, functionText: r.functionText, call: r.call };
}

/** Stands for the name while the call is rendered to find where the name goes. */
const NAME_MARK = '\u0000name\u0000';

function fallbackNames(plan: ExtractPlan): string[] {
  const py = plan.analysis.family === 'python';
  const join = (a: string, b: string) => (py ? `${a}_${b.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}` : `${a}${b[0].toUpperCase()}${b.slice(1)}`);
  const out: string[] = [];
  const first = plan.analysis.returns[0]?.name.replace(/^_+/, '');
  if (first) out.push(join('compute', first), join('get', first));
  out.push('extracted', py ? 'extracted_function' : 'extractedFunction', py ? 'extracted_step' : 'extractedStep');
  return out;
}

function classNameOf(a: ExtractAnalysis): string | undefined {
  for (let n = a.selection.container.parent; n; n = n.parent) {
    if (n.type === 'class_declaration' || n.type === 'class' || n.type === 'abstract_class_declaration' || n.type === 'class_definition') return n.childForFieldName('name')?.text;
  }
  return undefined;
}

function classMembers(a: ExtractAnalysis): Set<string> {
  const out = new Set<string>();
  for (let n = a.selection.container.parent; n; n = n.parent) {
    const body = n.type === 'class_definition' ? n.childForFieldName('body') : n.type.includes('class') ? n.childForFieldName('body') : null;
    if (!body) continue;
    for (const m of body.namedChildren) {
      const target = m?.type === 'decorated_definition' ? m.childForFieldName('definition') : m;
      const name = target?.childForFieldName('name') ?? target?.childForFieldName('property');
      if (name) out.add(name.text);
      if (m?.type === 'expression_statement') for (const id of m.descendantsOfType('identifier')) out.add(id.text);
    }
    break;
  }
  return out;
}
