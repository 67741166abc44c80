/**
 * The identifier at a cursor and a scope-aware rename over tree-sitter's scope model: every
 * occurrence that resolves to the same binding, shorthand properties and import specifiers
 * kept meaning the same, refused when the new name would collide with or capture another.
 */
import type { Node } from 'web-tree-sitter';
import type { SyntaxDocument } from '../context/parserService';
import { RefactorError } from './errors';
import { identifierProblem } from './identifiers';
import { analyzeScopes, type Binding, type ScopeModel } from './scopeModel';
import type { TextEdit } from './textEdits';

const IDENTIFIER = /identifier(_pattern)?$|^name$|^constant$/

/** The identifier-like node under the cursor (or just before it). */
export function identifierAt(doc: SyntaxDocument, offset: number): Node | undefined {
  for (const o of [offset, offset - 1]) {
    if (o < 0) continue;
    const n = doc.tree.rootNode.descendantForIndex(o, o);
    if (n && IDENTIFIER.test(n.type) && n.startIndex <= offset && offset <= n.endIndex) return n;
  }
  return undefined;
}

export interface RenameTarget {
  readonly node: Node;
  readonly name: string;
  readonly scopes?: ScopeModel;
  readonly binding?: Binding;
}

export function renameTarget(doc: SyntaxDocument, offset: number): RenameTarget {
  const node = identifierAt(doc, offset);
  if (!node) {
    const line = doc.lines.positionAt(offset).line + 1;
    throw new RefactorError('no-target', `no identifier at line ${line}, column ${doc.lines.positionAt(offset).character + 1}: put the cursor on a name`);
  }
  const scopes = analyzeScopes(doc.tree.rootNode, doc.grammar.spec.id);
  const binding = scopes?.references.find((r) => r.node.id === node.id)?.binding;
  return { node, name: node.text, scopes, binding };
}

/** Why `name` cannot replace the target's name, or undefined when it can. */
export function renameProblem(doc: SyntaxDocument, target: RenameTarget, name: string): string | undefined {
  const grammar = doc.grammar.spec.id;
  const problem = identifierProblem(name, grammar);
  if (problem) return problem;
  if (name === target.name) return `'${name}' is the current name`;
  const { scopes, binding } = target;
  if (scopes && binding) {
    const region = binding.scope.node;
    if (binding.scope.bindings.has(name)) return `'${name}' is already declared in the same scope`;
    // A use of the new name inside the binding's scope would be captured, or would capture an occurrence.
    const clash = scopes.references.find((r) => r.name === name && r.node.startIndex >= region.startIndex && r.node.endIndex <= region.endIndex);
    if (clash) return `'${name}' is already used where '${target.name}' is visible (line ${clash.node.startPosition.row + 1})`;
    for (const occ of scopes.references) {
      if (occ.binding !== binding) continue;
      const other = scopes.resolve(name, occ.scope);
      if (other && other !== binding) return `'${name}' already names something visible at line ${occ.node.startPosition.row + 1}`;
    }
    return undefined;
  }
  // Without scope rules: any identifier of that name in the file is a potential clash.
  const same = doc.tree.rootNode.descendantsOfType(['identifier', 'field_identifier', 'type_identifier', 'name', 'constant']).find((n) => n?.text === name);
  return same ? `'${name}' is already used in this file (line ${same.startPosition.row + 1})` : undefined;
}

/** The edits renaming every occurrence of the target's binding to `name` (scope-aware). */
export function renameEdits(doc: SyntaxDocument, target: RenameTarget, name: string): TextEdit[] {
  const { scopes, binding } = target;
  if (!scopes) throw new RefactorError('unsupported-language', `the tree-sitter rename supports TypeScript, JavaScript and Python, not ${doc.grammar.spec.id}; use a language extension's rename`);
  if (!binding) {
    throw new RefactorError('no-target', `'${target.name}' (line ${target.node.startPosition.row + 1}) is not declared in this file: rename it where it is declared`);
  }
  const problem = renameProblem(doc, target, name);
  if (problem) throw new RefactorError('invalid-name', `cannot rename '${target.name}' to '${name}': ${problem}`);
  const edits: TextEdit[] = [];
  const seen = new Set<number>();
  for (const r of scopes.references) {
    if (r.binding !== binding || seen.has(r.node.id)) continue;
    seen.add(r.node.id);
    edits.push(occurrenceEdit(r.node, target.name, name));
  }
  return edits.sort((a, b) => a.start - b.start);
}

/** Keeps what an occurrence means to the code around it: `{ x }` → `{ x: y }`, `import { x }` → `import { x as y }`. */
function occurrenceEdit(node: Node, oldName: string, name: string): TextEdit {
  const parent = node.parent;
  const whole = { start: node.startIndex, end: node.endIndex };
  if (node.type === 'shorthand_property_identifier') return { ...whole, newText: `${oldName}: ${name}` };
  if (node.type === 'shorthand_property_identifier_pattern') return { ...whole, newText: `${oldName}: ${name}` };
  if (parent?.type === 'import_specifier' && !parent.childForFieldName('alias')) return { ...whole, newText: `${oldName} as ${name}` };
  if (parent?.type === 'export_specifier' && !parent.childForFieldName('alias')) return { ...whole, newText: `${name} as ${oldName}` };
  if (parent?.type === 'dotted_name' && parent.parent?.type === 'import_from_statement') return { ...whole, newText: `${oldName} as ${name}` };
  return { ...whole, newText: name };
}
