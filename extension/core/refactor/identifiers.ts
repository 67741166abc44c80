/** Whether a name is a legal identifier of a language: its characters and its reserved words. */
import type { GrammarId } from '../context/languages';

const JS_RESERVED = 'async of from get set break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval undefined NaN Infinity';
/** Globals of JavaScript runtimes: a new name must not shadow them. */
const JS_GLOBALS = 'Math JSON Object Array String Number Boolean Promise Map Set WeakMap WeakSet Date Error TypeError RangeError RegExp Symbol BigInt Proxy Reflect Intl Buffer parseInt parseFloat isNaN isFinite console window document globalThis process require module exports setTimeout setInterval clearTimeout clearInterval queueMicrotask fetch URL structuredClone';
const TS_EXTRA = 'any boolean number string symbol never unknown object type namespace module declare abstract readonly keyof infer is asserts';

const RESERVED: Readonly<Record<GrammarId, string>> = {
  javascript: `${JS_RESERVED} ${JS_GLOBALS}`,
  typescript: `${JS_RESERVED} ${JS_GLOBALS} ${TS_EXTRA}`,
  tsx: `${JS_RESERVED} ${JS_GLOBALS} ${TS_EXTRA}`,
  python: 'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self cls print len list dict set str int float bool type object id input open range sum min max map filter zip enumerate sorted reversed any all abs round iter next super isinstance getattr setattr hasattr format hash repr tuple bytes',
  go: 'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var nil true false iota append cap close complex copy delete imag len make new panic print println real recover string int bool error byte rune',
  rust: 'as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while abstract become box do final macro override priv typeof unsized virtual yield try',
  java: 'abstract assert boolean break byte case catch char class const continue default do double else enum extends final finally float for goto if implements import instanceof int interface long native new package private protected public return short static strictfp super switch synchronized this throw throws transient try void volatile while true false null var record yield',
  csharp: 'abstract as base bool break byte case catch char checked class const continue decimal default delegate do double else enum event explicit extern false finally fixed float for foreach goto if implicit in int interface internal is lock long namespace new null object operator out override params private protected public readonly ref return sbyte sealed short sizeof stackalloc static string struct switch this throw true try typeof uint ulong unchecked unsafe ushort using virtual void volatile while',
  cpp: 'alignas alignof and asm auto bool break case catch char class const constexpr const_cast continue decltype default delete do double dynamic_cast else enum explicit export extern false float for friend goto if inline int long mutable namespace new noexcept not nullptr operator or private protected public register reinterpret_cast return short signed sizeof static static_assert static_cast struct switch template this throw true try typedef typeid typename union unsigned using virtual void volatile while',
  php: 'abstract and array as break callable case catch class clone const continue declare default do echo else elseif empty enddeclare endfor endforeach endif endswitch endwhile eval exit extends final finally fn for foreach function global goto if implements include instanceof insteadof interface isset list match namespace new or print private protected public readonly require return static switch throw trait try unset use var while xor yield',
  ruby: 'BEGIN END alias and begin break case class def defined do else elsif end ensure false for if in module next nil not or redo rescue retry return self super then true undef unless until when while yield',
  bash: 'if then else elif fi case esac for select while until do done in function time',
};

const reservedSets = new Map<GrammarId, Set<string>>();

function reserved(grammar: GrammarId): Set<string> {
  let s = reservedSets.get(grammar);
  if (!s) {
    s = new Set(RESERVED[grammar].split(/\s+/));
    reservedSets.set(grammar, s);
  }
  return s;
}

const SHAPES: Readonly<Record<GrammarId, RegExp>> = {
  javascript: /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u,
  typescript: /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u,
  tsx: /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u,
  python: /^[\p{ID_Start}_][\p{ID_Continue}]*$/u,
  go: /^[\p{L}_][\p{L}\p{Nd}_]*$/u,
  rust: /^[\p{ID_Start}_][\p{ID_Continue}]*$/u,
  java: /^[\p{L}$_][\p{L}\p{Nd}$_]*$/u,
  csharp: /^@?[\p{L}_][\p{L}\p{Nd}_]*$/u,
  cpp: /^[A-Za-z_][A-Za-z0-9_]*$/,
  php: /^\$?[A-Za-z_\x80-\uffff][A-Za-z0-9_\x80-\uffff]*$/,
  ruby: /^[a-z_@$][A-Za-z0-9_]*[?!]?$/,
  bash: /^[A-Za-z_][A-Za-z0-9_]*$/,
};

/** Why `name` is not a legal identifier of `grammar`, or undefined when it is. */
export function identifierProblem(name: string, grammar: GrammarId): string | undefined {
  if (!name) return 'the name is empty';
  if (!SHAPES[grammar].test(name)) return `'${name}' is not a valid identifier`;
  if (reserved(grammar).has(name)) return `'${name}' is a reserved word or built-in`;
  if (grammar === 'rust' && name === '_') return "'_' cannot name a binding";
  if (name === '_' && grammar !== 'python') return "'_' is not a useful name";
  return undefined;
}

export function isLegalIdentifier(name: string, grammar: GrammarId): boolean {
  return identifierProblem(name, grammar) === undefined;
}

/** The identifier at the start of a model's answer (it may run on with code), or ''. */
export function leadingIdentifier(raw: string, grammar: GrammarId): string {
  const trimmed = raw.replace(/^[ \t]+/, '');
  const m = grammar === 'php' ? /^\$?[A-Za-z_][A-Za-z0-9_]*/.exec(trimmed) : /^[\p{ID_Start}$_][\p{ID_Continue}$]*/u.exec(trimmed);
  return m ? m[0] : '';
}
