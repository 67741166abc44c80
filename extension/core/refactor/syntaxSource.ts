/**
 * How the refactorings get syntax trees: from the context engine (which keeps the incremental
 * trees of open documents) for the document at hand, and as scratch parses for texts being
 * built (a new test file, a body with a hole), forgotten right after.
 */
import type { SyntaxDocument } from '../context/parserService';
import type { DocumentSnapshot } from '../context/types';
import { RefactorError } from './errors';

export interface SyntaxSource {
  syntaxOf(doc: DocumentSnapshot): Promise<SyntaxDocument | undefined>;
  closeDocument(uri: string): void;
}

let scratch = 0;

/** Runs `fn` on a parse of `text` that no open document shares. */
export async function withScratchSyntax<T>(source: SyntaxSource, languageId: string, text: string, fn: (doc: SyntaxDocument) => T | Promise<T>): Promise<T> {
  const uri = `lathe-scratch:${++scratch}`;
  const doc = await source.syntaxOf({ uri, languageId, version: 1, text });
  if (!doc) throw new RefactorError('unsupported-language', `no tree-sitter grammar for ${languageId}`);
  try {
    return await fn(doc);
  } finally {
    source.closeDocument(uri);
  }
}

/** The parsed document, or a clear refusal for languages without a grammar. */
export async function requireSyntax(source: SyntaxSource, doc: DocumentSnapshot, feature: string): Promise<SyntaxDocument> {
  const syntax = await source.syntaxOf(doc);
  if (!syntax) {
    throw new RefactorError(
      'unsupported-language',
      `${feature} needs a tree-sitter grammar and there is none for '${doc.languageId}' (supported: TypeScript, JavaScript, Python, Go, Rust, Java, C#, C/C++, Ruby, PHP, shell)`,
    );
  }
  return syntax;
}
