/**
 * The shape of a test case's body, decided by tree-sitter facts about the tested function: a
 * call with an arguments slot (on a new instance, with a constructor-arguments slot, for
 * methods), checked against an expected-value slot when the function returns a value, inside
 * the framework's throws-check when the branch throws. The model fills only the slots: short
 * expressions that a small FIM model can write.
 */
import type { TestFramework } from './testFiles';

export type BodySlot = 'ctor' | 'arg' | 'expected';
export type BodyPart = string | { readonly slot: BodySlot };

export interface BodyFacts {
  readonly framework: TestFramework;
  readonly name: string;
  /** The class for methods (called on a new instance, or on the class when static). */
  readonly className?: string;
  readonly isStatic: boolean;
  readonly isAsync: boolean;
  readonly returnsValue: boolean;
  /** The branch throws (this type, when known). */
  readonly throws?: string;
  /** Lines after the first are indented with this. */
  readonly indent: string;
  /** The required parameters: one argument slot each (Python passes them by keyword). */
  readonly params: readonly string[];
}

export interface BodyShape {
  readonly parts: readonly BodyPart[];
  /** Imports the shape needs beyond the framework's own. */
  readonly imports: readonly string[];
}

const S = (slot: BodySlot) => ({ slot });

/** The body shape, or undefined where only a free-form body fits (Go methods, several results, panics). */
export function bodyShape(f: BodyFacts): BodyShape | undefined {
  const js = ['node:test', 'vitest', 'jest', 'mocha'].includes(f.framework);
  const py = f.framework === 'pytest' || f.framework === 'unittest';
  const awaitWord = f.isAsync && (js || f.framework === 'rust') ? 'await ' : '';
  let callee: BodyPart[];
  if (!f.className) callee = [f.name];
  else if (f.isStatic) callee = [`${f.className}.${f.name}`];
  else if (js) callee = [`new ${f.className}(`, S('ctor'), `).${f.name}`];
  else if (py) callee = [`${f.className}(`, S('ctor'), `).${f.name}`];
  else return undefined;
  const args: BodyPart[] = f.params.flatMap((p, k) => [...(k > 0 ? [', '] : []), ...(py ? [`${p}=`] : []), S('arg')]);
  const call: BodyPart[] = [...callee, '(', ...args, ')'];
  const i = f.indent;
  if (f.throws) {
    const type = f.throws === 'an error' || f.throws === 'a panic' ? undefined : f.throws;
    switch (f.framework) {
      case 'node:test':
      case 'mocha':
        return f.isAsync ? { parts: ['await assert.rejects(async () => ', ...call, ');'], imports: [] } : { parts: ['assert.throws(() => ', ...call, ');'], imports: [] };
      case 'vitest':
      case 'jest':
        return f.isAsync ? { parts: ['await expect(', ...call, ').rejects.toThrow();'], imports: [] } : { parts: ['expect(() => ', ...call, ').toThrow();'], imports: [] };
      case 'pytest':
        return { parts: [`with pytest.raises(${type ?? 'Exception'}):\n${i}    `, ...call], imports: ['import pytest'] };
      case 'unittest':
        return { parts: [`with self.assertRaises(${type ?? 'Exception'}):\n${i}    `, ...call], imports: [] };
      default:
        return undefined;
    }
  }
  const awaited: BodyPart[] = awaitWord ? [awaitWord, ...call] : call;
  if (!f.returnsValue) return { parts: [...awaited, js || f.framework === 'rust' ? ';' : ''], imports: [] };
  switch (f.framework) {
    case 'node:test':
    case 'mocha':
      return { parts: ['assert.deepEqual(', ...awaited, ', ', S('expected'), ');'], imports: [] };
    case 'vitest':
    case 'jest':
      return { parts: ['expect(', ...awaited, ').toEqual(', S('expected'), ');'], imports: [] };
    case 'pytest':
      return { parts: ['assert ', ...awaited, ' == ', S('expected')], imports: [] };
    case 'unittest':
      return { parts: ['self.assertEqual(', ...awaited, ', ', S('expected'), ')'], imports: [] };
    case 'rust':
      return { parts: ['assert_eq!(', ...awaited, ', ', S('expected'), ');'], imports: [] };
    case 'go':
      return { parts: ['want := ', S('expected'), `\n${i}if got := `, ...call, `; !reflect.DeepEqual(got, want) {\n${i}\tt.Errorf("${f.name}() = %v, want %v", got, want)\n${i}}`], imports: ['import "reflect"'] };
  }
}

/**
 * A model's answer for a slot that sits inside brackets: cut where it closes one it did not
 * open (and, for one argument, at a comma outside brackets).
 */
export function cleanSlotAnswer(raw: string, oneArgument = false): string {
  const line = raw.split('\n')[0];
  let depth = 0;
  let quote: string | undefined;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k];
    if (quote) {
      if (ch === '\\') k++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) {
      if (depth === 0) return line.slice(0, k).trim().replace(/[;,]$/, '');
      depth--;
    } else if ((ch === ';' || (oneArgument && ch === ',')) && depth === 0) return line.slice(0, k).trim();
  }
  // Still inside brackets or a string at the end of the line: the answer was cut off.
  if (depth > 0 || quote) return '';
  return line.trim().replace(/[;,]$/, '');
}

/** The body text with slots filled (missing fills empty). */
export function renderBody(parts: readonly BodyPart[], fills: ReadonlyMap<number, string>): string {
  return parts.map((p, k) => (typeof p === 'string' ? p : (fills.get(k) ?? ''))).join('');
}
