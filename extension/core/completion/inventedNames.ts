/**
 * Names a suggestion uses that exist nowhere: not in the document, not in the context the
 * prompt carried, not in the other open files of its language (which prompt copy copies from),
 * not in the workspace's tags index, and not a keyword or a common builtin.
 * A small model that calls `response.getBodyAsJson()` in a file that never mentions it is
 * usually inventing an API. Names the suggestion declares (`const total =`, `def f(a, b)`,
 * `key=`, `for x in`) are new by right and are not counted; strings and comments are skipped.
 */
import { blankStrings } from '../common/stringLiterals';

/** Keywords and builtins of the languages Lathe's models know (Python, JS/TS, Go, Rust) and common library members. */
const COMMON = new Set(
  (
    'if else elif for while do in of is not and or return break continue pass def class function fn func let const var mut ' +
    'new delete typeof instanceof void this self Self super import from export default as with try except catch finally ' +
    'raise throw yield async await lambda match case switch struct enum trait impl type interface package go defer select ' +
    'chan map range pub use mod crate where loop static extends implements private public protected readonly abstract ' +
    'declare namespace keyof infer unsafe ref move dyn nil null undefined None True False true false Some Ok Err ' +
    'print len str int float dict list set tuple bool bytes object isinstance issubclass getattr setattr hasattr open ' +
    'enumerate zip sorted reversed min max sum any all map filter iter next abs round format repr id hash callable ' +
    'staticmethod classmethod property Exception ValueError TypeError KeyError IndexError RuntimeError AttributeError ' +
    'NotImplementedError StopIteration OSError console Math JSON Object Array String Number Boolean Promise Error Map Set ' +
    'Symbol Date RegExp BigInt require module exports process Buffer globalThis window document string number boolean ' +
    'any unknown never Record Partial Readonly make cap append copy panic recover error byte rune int8 int16 int32 int64 ' +
    'uint uint8 uint16 uint32 uint64 usize isize u8 u16 u32 u64 i8 i16 i32 i64 f32 f64 char Vec Box Option Result Rc Arc ' +
    'fmt errors strings bytes io os push pop shift unshift slice splice concat join split length size keys values items ' +
    'entries get has add remove clear insert update append extend index find filter reduce forEach then catch resolve ' +
    'reject toString valueOf trim replace startsWith endsWith includes indexOf unwrap expect iter collect into clone ' +
    'to_string as_str as_ref is_some is_none is_empty Errorf Sprintf Printf Println New'
  ).split(' '),
);

const IDENT = /[A-Za-z_$][\w$]*/g;

/** Replaces string literals and a trailing comment with spaces (same length, so columns hold). */
function maskLiterals(line: string): string {
  const masked = blankStrings(line);
  const comment = masked.search(/\/\/|#(?![!\[])|--\s/);
  return comment < 0 ? masked : masked.slice(0, comment) + ' '.repeat(masked.length - comment);
}

/** Names the line declares: after a declaring keyword, before `=`/`:=`/`:`, loop and closure variables. */
function declaredNames(line: string): Set<string> {
  const out = new Set<string>();
  const mark = (re: RegExp, group = 1) => {
    for (const m of line.matchAll(re)) {
      for (const n of m[group].matchAll(IDENT)) out.add(n[0]);
    }
  };
  if (/^\s*(?:pub\s+)?(?:async\s+)?(?:def|function|fn|func|class|struct|enum|trait|interface|type)\b/.test(line)) mark(/^(.*)$/g);
  mark(/\b(?:let|const|var|mut|for|as|import|from|except|catch|lambda)\s+((?:[A-Za-z_$][\w$]*\s*,\s*)*[A-Za-z_$][\w$]*)/g);
  mark(/((?:[A-Za-z_$][\w$]*\s*,\s*)*[A-Za-z_$][\w$]*)\s*(?:=(?![=>])|:=|:(?!:)|\bin\b|\bof\b|=>)/g);
  mark(/\b(?:let|const|var)\s+(?:mut\s+)?[{[(]([^=]*)[}\])]\s*[=:]/g);
  mark(/\|([^|]*)\|/g);
  mark(/\(([^()]*)\)\s*=>/g);
  return out;
}

/**
 * The names the completed line uses that nothing knows. `line` is the whole line (text before
 * the cursor plus the suggestion's first line) and `from` the cursor's column in it: only names
 * that reach past the cursor count. `knows` answers for the document, the prompt's context and
 * the tags index.
 */
export function inventedNames(line: string, from: number, knows: (name: string) => boolean): string[] {
  const masked = maskLiterals(line);
  const declared = declaredNames(masked);
  const out: string[] = [];
  for (const m of masked.matchAll(IDENT)) {
    const name = m[0];
    if (m.index + name.length <= from || declared.has(name) || /^\d/.test(name) || COMMON.has(name)) continue;
    if (!knows(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

/** A `knows` over texts: whole-word occurrence in any of them. */
export function namesIn(...texts: readonly string[]): (name: string) => boolean {
  const cache = new Map<string, boolean>();
  return (name) => {
    let hit = cache.get(name);
    if (hit === undefined) {
      const re = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
      hit = texts.some((t) => re.test(t));
      cache.set(name, hit);
    }
    return hit;
  };
}
