/**
 * One test case per branch tree-sitter finds in a function: each `if`/`elif` condition (and the
 * final `else`), each `case` of a switch/match, named after the condition (`throws RangeError
 * when width < 0` when the branch throws). A function without branches gets one case.
 */
import type { Node } from 'web-tree-sitter';
import { walkOwn } from './bodyFacts';

const MAX_CASES = 8;
const IF_TYPES = new Set(['if_statement', 'if_expression', 'elif_clause', 'if_let_expression']);
const CASE_TYPES = new Set(['switch_case', 'expression_case', 'type_case', 'match_arm', 'case_clause', 'switch_section']);

export interface BranchCase {
  readonly title: string;
  /** The branch throws (the type when the code names one, else 'an error' / 'a panic'). */
  readonly throws?: string;
}

export function branchCases(def: Node, returnsValue: boolean): BranchCase[] {
  const body = def.childForFieldName('body');
  const out: BranchCase[] = [];
  const add = (title: string, throws?: string) => {
    const t = compact(title);
    if (t && !out.some((c) => c.title === t) && out.length < MAX_CASES) out.push({ title: t, throws });
  };
  if (body) {
    const inChain = new Set<number>();
    walkOwn(body, (n) => {
      if (IF_TYPES.has(n.type) && !inChain.has(n.id)) {
        // An if / else-if / elif chain: one case per condition, and the final else.
        const conds: string[] = [];
        let hasElse = false;
        for (let link: Node | undefined = n; link; ) {
          inChain.add(link.id);
          const cond = link.childForFieldName('condition');
          const consequence = link.childForFieldName('consequence');
          const thrown = consequence ? throwsIn(consequence) : undefined;
          if (cond) {
            const c = stripParens(cond.text);
            conds.push(c);
            add(thrown ? `throws ${thrown} when ${c}` : `when ${c}`, thrown);
          }
          let next: Node | undefined;
          for (const alt of link.childrenForFieldName('alternative')) {
            if (!alt) continue;
            if (alt.type === 'elif_clause') next ??= alt;
            else if (alt.type === 'else_clause') {
              const nested = alt.namedChildren.find((x) => x && IF_TYPES.has(x.type));
              if (nested) next ??= nested;
              else hasElse = true;
            } else if (IF_TYPES.has(alt.type)) next ??= alt;
            else hasElse = true;
          }
          // Python lists every elif as an alternative of the first if: walk them in order.
          const elifs = link.childrenForFieldName('alternative').filter((x): x is Node => x?.type === 'elif_clause');
          if (elifs.length > 1 && link === n) {
            for (const e of elifs) {
              inChain.add(e.id);
              const cond = e.childForFieldName('condition');
              const consequence = e.childForFieldName('consequence');
              const thrown = consequence ? throwsIn(consequence) : undefined;
              if (cond) {
                conds.push(stripParens(cond.text));
                add(thrown ? `throws ${thrown} when ${stripParens(cond.text)}` : `when ${stripParens(cond.text)}`, thrown);
              }
            }
            next = undefined;
          }
          link = next;
        }
        if (hasElse) add(conds.length === 1 ? `when not ${conds[0]}` : 'otherwise');
      } else if (CASE_TYPES.has(n.type)) {
        const value = n.childForFieldName('value') ?? n.childForFieldName('pattern') ?? n.namedChildren.find((c) => c?.type === 'case_pattern');
        add(value ? `when ${stripParens(value.text)}` : 'by default');
      } else if (n.type === 'switch_default' || n.type === 'default_case') {
        add('by default');
      }
    });
  }
  if (out.length === 0) add(returnsValue ? 'returns the expected value' : 'runs without error');
  return out;
}

function throwsIn(block: Node): string | undefined {
  const stmts = block.type.includes('block') || block.type === 'statement_list' ? block.namedChildren : [block];
  for (const s of stmts) {
    if (!s) continue;
    const inner = s.type === 'expression_statement' ? s.namedChild(0) : s;
    if (!inner) continue;
    if (inner.type === 'throw_statement' || inner.type === 'raise_statement' || inner.type === 'throw_expression') {
      const e = inner.namedChild(0);
      const name = e?.childForFieldName('constructor') ?? e?.childForFieldName('function') ?? e?.childForFieldName('type') ?? e;
      const text = name?.text.split('(')[0] ?? '';
      return /^[\w.]+$/.test(text) && /^[A-Z]/.test(text.split('.').pop() ?? '') ? text : 'an error';
    }
    if (inner.type === 'macro_invocation' && inner.childForFieldName('macro')?.text === 'panic') return 'a panic';
  }
  return undefined;
}

function stripParens(t: string): string {
  const s = t.trim();
  return s.startsWith('(') && s.endsWith(')') ? s.slice(1, -1).trim() : s;
}

function compact(t: string): string {
  let s = t.replace(/\s+/g, ' ').trim();
  if (s.length > 70) s = `${s.slice(0, s.lastIndexOf(' ', 67) > 20 ? s.lastIndexOf(' ', 67) : 67)}…`;
  return s;
}

/** A case title as part of a function name: `when width < 0` → `when_width_lt_0`. */
export function slug(title: string, max = 48): string {
  const s = title
    .replace(/<=/g, ' le ')
    .replace(/>=/g, ' ge ')
    .replace(/</g, ' lt ')
    .replace(/>/g, ' gt ')
    .replace(/===?/g, ' eq ')
    .replace(/!==?/g, ' ne ')
    .replace(/!/g, ' not ')
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  return s.slice(0, max).replace(/_+$/, '') || 'case';
}
