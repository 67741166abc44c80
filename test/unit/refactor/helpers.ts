/** Shared setup for the refactoring tests: parsed documents and a scripted slot filler. */
import { createLogger } from '../../../extension/core/common/logger';
import { ContextEngine } from '../../../extension/core/context/engine';
import { languageIdForPath } from '../../../extension/core/context/languages';
import type { SyntaxDocument } from '../../../extension/core/context/parserService';
import type { SlotCandidate, SlotFiller, SlotRequest } from '../../../extension/core/refactor/slotFiller';
import { ASSETS } from '../context/helpers';

let version = 0;

export function refactorEngine(): ContextEngine {
  return new ContextEngine({ assets: ASSETS, log: createLogger({ log: () => undefined }, 'test') });
}

/** `text` as a parsed document of the language its file name says. */
export async function parsed(engine: ContextEngine, fileName: string, text: string): Promise<SyntaxDocument> {
  const uri = `/ws/${fileName}`;
  const doc = await engine.syntaxOf({ uri, languageId: languageIdForPath(uri), version: ++version, text });
  if (!doc) throw new Error(`no grammar for ${fileName}`);
  return doc;
}

/** The offset of `marker` in `text` (its start, or just after it with `after`). */
export function at(text: string, marker: string, after = false): number {
  const i = text.indexOf(marker);
  if (i === -1) throw new Error(`marker not found: ${JSON.stringify(marker)}`);
  return after ? i + marker.length : i;
}

/**
 * A slot filler that answers from a function of the request (by default the slot's line
 * prefix as a description) and records every request.
 */
export class RecordingFiller implements SlotFiller {
  readonly requests: SlotRequest[] = [];
  constructor(private readonly answer: (request: SlotRequest, index: number) => string[] = () => ['describes it']) {}

  async fill(request: SlotRequest): Promise<SlotCandidate[]> {
    this.requests.push(request);
    const texts = this.answer(request, this.requests.length - 1);
    const out: SlotCandidate[] = [];
    texts.forEach((raw, i) => {
      const text = request.accept ? request.accept(raw) : raw.trim();
      if (text) out.push({ text, logprob: -i, tokens: 1, score: -i });
    });
    return out;
  }
}
