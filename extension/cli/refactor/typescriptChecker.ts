/**
 * TypeScript's own checker for the CLI and the bench (typescript is loaded from the project's
 * node_modules when it is there; the extension asks VS Code's TypeScript service instead):
 * parameter types for Extract Function, and a file's diagnostics before and after an edit
 * (the same check as `tsc --noEmit`, in process, reusing unchanged files between runs).
 */
import { dirname, relative } from 'node:path';
import type * as TS from 'typescript';
import type { TypeOracle } from '../../core/refactor/extract';

type Ts = typeof TS;

let loaded: Promise<Ts | undefined> | undefined;

/** The typescript module, or undefined when it is not installed. */
export function loadTypeScript(): Promise<Ts | undefined> {
  const specifier = 'typescript';
  loaded ??= import(specifier).then(
    (m: { default?: Ts } & Ts) => (m.default ?? m),
    () => undefined,
  );
  return loaded;
}

/** A checker over files on disk with some files' text overridden in memory. */
export class TypeScriptChecker {
  private readonly overrides = new Map<string, string>();
  private program: TS.Program | undefined;
  private readonly options: TS.CompilerOptions;
  private readonly host: TS.CompilerHost;

  constructor(private readonly ts: Ts) {
    this.options = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      allowJs: false,
      resolveJsonModule: true,
      esModuleInterop: true,
      jsx: ts.JsxEmit.Preserve,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    };
    const host = ts.createCompilerHost(this.options, true);
    const getSourceFile = host.getSourceFile.bind(host);
    const readFile = host.readFile.bind(host);
    host.getSourceFile = (name, version, onError, create) => {
      const text = this.overrides.get(name);
      return text !== undefined ? ts.createSourceFile(name, text, version, true) : getSourceFile(name, version, onError, create);
    };
    host.readFile = (name) => this.overrides.get(name) ?? readFile(name);
    host.fileExists = ((exists) => (name: string) => this.overrides.has(name) || exists(name))(host.fileExists.bind(host));
    this.host = host;
  }

  /** Checks `path` with `text` as its content: its diagnostics as `code: message` strings. */
  diagnostics(path: string, text: string): string[] {
    const program = this.programFor(path, text);
    const file = program.getSourceFile(path);
    if (!file) return [`cannot read ${path}`];
    const all = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    return all.map((d) => `TS${d.code}: ${this.ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }

  /** A type oracle for `path` as `text` (Extract Function's parameter types). */
  oracle(path: string, text: string): TypeOracle {
    return { typeAt: (offset, name, mode) => Promise.resolve(this.typeAt(path, text, offset, name, mode)) };
  }

  private typeAt(path: string, text: string, offset: number, name: string, mode: 'use' | 'declared'): string | undefined {
    const ts = this.ts;
    const program = this.programFor(path, text);
    const file = program.getSourceFile(path);
    if (!file) return undefined;
    const node = identifierAt(ts, file, offset, name);
    if (!node) return undefined;
    const checker = program.getTypeChecker();
    let type = checker.getTypeAtLocation(node);
    if (mode === 'declared') {
      const symbol = checker.getSymbolAtLocation(node);
      const decl = symbol?.valueDeclaration;
      if (symbol && decl) type = checker.getTypeOfSymbolAtLocation(symbol, decl);
    }
    // Types not in the file's scope print as import("/abs/path").Name: make those paths relative.
    const shown = relativeImports(checker.typeToString(type, node, ts.TypeFormatFlags.NoTruncation), path);
    return shown || undefined;
  }

  private programFor(path: string, text: string): TS.Program {
    if (this.overrides.get(path) !== text || !this.program || !this.program.getSourceFile(path)) {
      // One file in memory at a time: every other file is read from disk as it is.
      this.overrides.clear();
      this.overrides.set(path, text);
      const roots = [...new Set([...(this.program?.getRootFileNames() ?? []), path])].slice(-8);
      this.program = this.ts.createProgram({ rootNames: roots, options: this.options, host: this.host, oldProgram: this.program });
    }
    return this.program;
  }
}

function identifierAt(ts: Ts, file: TS.SourceFile, offset: number, name: string): TS.Node | undefined {
  let found: TS.Node | undefined;
  const visit = (n: TS.Node) => {
    if (offset < n.getFullStart() || offset > n.getEnd() || found) return;
    if (ts.isIdentifier(n) && n.getStart(file) === offset && n.text === name) found = n;
    else if (ts.isShorthandPropertyAssignment(n) && n.name.getStart(file) === offset) found = n.name;
    else n.forEachChild(visit);
  };
  visit(file);
  return found;
}

/** `import("/abs/dir/mod")` in a printed type → `import("./mod")`, relative to the file. */
export function relativeImports(type: string, fromFile: string): string {
  return type.replace(/import\("([^"]+)"\)/g, (_m, abs: string) => {
    if (!abs.startsWith('/')) return `import("${abs}")`;
    let rel = relative(dirname(fromFile), abs).split('\\').join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `import("${rel}")`;
  });
}
