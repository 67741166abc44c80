/** The unit of assembled context: a labelled piece of text and where it came from. */
import type { SourceRange } from './types';

export type PieceKind = 'recent-edit' | 'scope' | 'definition' | 'similar' | 'prefix' | 'suffix';

export interface ContextPiece {
  readonly kind: PieceKind;
  /** The document the text comes from (a path for workspace files). */
  readonly uri: string;
  readonly range: SourceRange;
  /** Prompt text: for context kinds a comment label line then the code; for prefix/suffix the raw window. */
  readonly text: string;
  readonly tokens: number;
  /** Why it was chosen: the identifier it defines, or the similarity score. */
  readonly detail?: string;
  /** Context kinds: the source's label path and the code without the label line. */
  readonly path?: string;
  readonly body?: string;
}

/** A context piece before budgeting: code plus its source. */
export interface PieceCandidate {
  readonly kind: Exclude<PieceKind, 'prefix' | 'suffix'>;
  readonly uri: string;
  readonly range: SourceRange;
  readonly body: string;
  readonly detail?: string;
}

const LABELS: Record<PieceCandidate['kind'], string> = {
  'recent-edit': 'Recently edited',
  scope: 'Enclosing scope',
  definition: 'Definition',
  similar: 'Similar code',
};

/** `// Definition: src/shapes.ts:6` then the code, ending with a newline. */
export function renderPiece(candidate: PieceCandidate, lineComment: string, label: (uri: string) => string): string {
  const body = candidate.body.endsWith('\n') ? candidate.body : `${candidate.body}\n`;
  return `${lineComment} ${LABELS[candidate.kind]}: ${label(candidate.uri)}:${candidate.range.startLine + 1}\n${body}`;
}
