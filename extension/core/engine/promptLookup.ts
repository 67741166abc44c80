/**
 * Prompt-lookup drafting for speculative decoding: code completions copy a lot from their
 * context (identifiers, repeated lines, closing structure). Find the most recent earlier
 * occurrence of the last n tokens and propose the tokens that followed it. The model then
 * checks every proposed token in one batched step; greedy verification keeps the output
 * identical to plain greedy decoding.
 */
export interface DraftOptions {
  readonly maxNgram: number;
  readonly minNgram: number;
  readonly maxDraft: number;
}

export const DEFAULT_DRAFT: DraftOptions = { maxNgram: 3, minNgram: 1, maxDraft: 8 };

export function proposeDraft(history: readonly number[], options: DraftOptions): number[] {
  const n = history.length;
  if (options.maxDraft <= 0) return [];
  for (let size = Math.min(options.maxNgram, n - 1); size >= options.minNgram; size--) {
    const tail = n - size;
    // Most recent match first: nearby context predicts best.
    for (let start = tail - 1; start >= 0; start--) {
      let match = true;
      for (let j = 0; j < size; j++) {
        if (history[start + j] !== history[tail + j]) {
          match = false;
          break;
        }
      }
      if (match) {
        const from = start + size;
        const to = Math.min(from + options.maxDraft, n);
        if (to > from) return history.slice(from, to);
      }
    }
  }
  return [];
}

/**
 * Adapts the draft length to how well drafts are doing: longer after a fully accepted draft,
 * shorter after a rejection (each rejected token costs a position in the verification step).
 */
export class DraftLength {
  private current: number;

  constructor(private readonly max: number, initial = 4) {
    this.current = Math.min(initial, max);
  }

  get value(): number {
    return this.current;
  }

  update(proposed: number, accepted: number): void {
    if (accepted === proposed) this.current = Math.min(this.max, this.current + 2);
    else this.current = Math.max(1, this.current - 1);
  }
}
