/**
 * Suggest Names: the model proposes names for the identifier at the cursor (FIM at its
 * declaration, several candidates ranked by logprob); tree-sitter keeps those that are legal
 * identifiers and not already bound where the name is visible.
 */
import type { SyntaxDocument } from '../context/parserService';
import { RefactorError } from './errors';
import { leadingIdentifier } from './identifiers';
import { renameProblem, renameTarget, type RenameTarget } from './rename';
import type { SlotFiller } from './slotFiller';

export interface NameSuggestion {
  readonly name: string;
  readonly logprob: number;
}

export interface NameSuggestions {
  readonly target: RenameTarget;
  readonly names: readonly NameSuggestion[];
  /** Model answers seen, and how many of them were legal, unbound identifiers. */
  readonly raw: number;
  readonly legal: number;
}

export async function suggestNames(doc: SyntaxDocument, offset: number, filler: SlotFiller, options: { seed?: number; candidates?: number; filePath?: string } = {}, signal?: AbortSignal): Promise<NameSuggestions> {
  const target = renameTarget(doc, offset);
  const grammar = doc.grammar.spec.id;
  // The slot is the declaration when the file has it (the name is chosen there), else the cursor's occurrence.
  const slot = target.binding?.declarations[0] ?? target.node;
  let raw = 0;
  let legal = 0;
  const candidates = await filler.fill(
    {
      prefix: doc.text.slice(0, slot.startIndex),
      suffix: doc.text.slice(slot.endIndex),
      stop: ['\n', ' ', '(', ')', '=', ':', ',', ';', '.', '<', '[', '{'],
      maxTokens: 10,
      candidates: options.candidates ?? 5,
      seed: options.seed,
      filePath: options.filePath,
      scoring: 'total',
      accept: (answer) => {
        raw++;
        const name = leadingIdentifier(answer, grammar);
        if (!name || renameProblem(doc, target, name)) return undefined;
        legal++;
        return name;
      },
    },
    signal,
  );
  if (candidates.length === 0) {
    throw new RefactorError('no-candidates', `the model proposed no usable new name for '${target.name}' (${raw} answers, none a legal, unused identifier); try a bigger model or type a name with Rename`);
  }
  return { target, names: candidates.map((c) => ({ name: c.text, logprob: c.logprob })), raw, legal };
}
