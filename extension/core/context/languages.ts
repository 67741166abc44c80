/**
 * The languages the context engine parses: VS Code language ids and file extensions mapped to
 * the grammars @vscode/tree-sitter-wasm ships and to the query folder under queries/.
 */

export type GrammarId =
  | 'typescript'
  | 'tsx'
  | 'javascript'
  | 'python'
  | 'go'
  | 'rust'
  | 'java'
  | 'csharp'
  | 'cpp'
  | 'ruby'
  | 'php'
  | 'bash';

export interface GrammarSpec {
  readonly id: GrammarId;
  /** File name of the grammar in the wasm folder. */
  readonly wasm: string;
  /** Folder under queries/ holding scopes.scm, imports.scm and tags.scm. */
  readonly queries: string;
  /** Line comment leader used to label context pieces in the prompt. */
  readonly lineComment: string;
  /** Whether blocks are delimited by indentation rather than closing tokens. */
  readonly indentBlocks: boolean;
}

const spec = (id: GrammarId, wasm: string, queries: string, lineComment: string, indentBlocks = false): GrammarSpec => ({
  id,
  wasm: `tree-sitter-${wasm}.wasm`,
  queries,
  lineComment,
  indentBlocks,
});

export const GRAMMARS: Readonly<Record<GrammarId, GrammarSpec>> = {
  typescript: spec('typescript', 'typescript', 'typescript', '//'),
  tsx: spec('tsx', 'tsx', 'typescript', '//'),
  javascript: spec('javascript', 'javascript', 'javascript', '//'),
  python: spec('python', 'python', 'python', '#', true),
  go: spec('go', 'go', 'go', '//'),
  rust: spec('rust', 'rust', 'rust', '//'),
  java: spec('java', 'java', 'java', '//'),
  csharp: spec('csharp', 'c-sharp', 'csharp', '//'),
  cpp: spec('cpp', 'cpp', 'cpp', '//'),
  ruby: spec('ruby', 'ruby', 'ruby', '#'),
  php: spec('php', 'php', 'php', '//'),
  bash: spec('bash', 'bash', 'bash', '#'),
};

/** VS Code language ids → grammar. C is parsed with the C++ grammar (a near superset). */
const BY_LANGUAGE_ID: Readonly<Record<string, GrammarId>> = {
  typescript: 'typescript',
  typescriptreact: 'tsx',
  javascript: 'javascript',
  javascriptreact: 'javascript',
  python: 'python',
  go: 'go',
  rust: 'rust',
  java: 'java',
  csharp: 'csharp',
  cpp: 'cpp',
  c: 'cpp',
  'cuda-cpp': 'cpp',
  ruby: 'ruby',
  php: 'php',
  shellscript: 'bash',
};

/** File extensions → VS Code language id, for the CLI and the workspace index. */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescriptreact',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascriptreact',
  '.py': 'python',
  '.pyi': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
  '.cs': 'csharp',
  '.cpp': 'cpp',
  '.cc': 'cpp',
  '.cxx': 'cpp',
  '.hpp': 'cpp',
  '.hh': 'cpp',
  '.hxx': 'cpp',
  '.h': 'cpp',
  '.c': 'c',
  '.rb': 'ruby',
  '.php': 'php',
  '.sh': 'shellscript',
  '.bash': 'shellscript',
};

export function grammarFor(languageId: string): GrammarSpec | undefined {
  const id = BY_LANGUAGE_ID[languageId];
  return id === undefined ? undefined : GRAMMARS[id];
}

/** The language id of a file by its extension; `plaintext` when unknown. */
export function languageIdForPath(path: string): string {
  const dot = path.lastIndexOf('.');
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (dot <= slash) return 'plaintext';
  return BY_EXTENSION[path.slice(dot).toLowerCase()] ?? 'plaintext';
}

export function isIndexableLanguage(languageId: string): boolean {
  return grammarFor(languageId) !== undefined;
}
