/**
 * Public surface of the context engine (tree-sitter parsing, tags index, prompt context and
 * completion-shape helpers). Import from here, not from the individual modules.
 */
export { ContextEngine, type ContextEngineOptions, type ContextRequest, type ContextResult } from './engine';
export { DEFAULT_BUDGET, type AssembledContext, type ContextBudget } from './assemble';
export { bundledAssets, locateAssets, sourceAssets, type ContextAssets } from './assets';
export { completionShape, type CompletionShape, type ShapeReason } from './completionShape';
export { truncateCompletion, type TruncationOptions, type TruncationReason, type TruncationResult } from './truncation';
export { grammarFor, languageIdForPath, GRAMMARS, type GrammarId, type GrammarSpec } from './languages';
export type { ContextPiece, PieceKind } from './pieces';
export type { SyntaxDocument } from './parserService';
export type { Tag } from './tags';
export type { IndexBuildStats } from './tagsIndex';
export type { DocumentSnapshot, SourceRange, TextChange } from './types';
export { fileSystemSource, type WorkspaceFile, type WorkspaceSource } from './workspaceSource';
