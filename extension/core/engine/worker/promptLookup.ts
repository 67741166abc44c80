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
 * When to draft and how much. The draft length grows after a fully accepted draft and shrinks
 * after a rejection; a draft rejected outright also pauses drafting for a few steps, doubling
 * on each further miss (up to 16), because a verification step is wider than a plain step and
 * text that is not copying its context should decode at plain speed.
 */
export class DraftPolicy {
  private length: number;
  private cooldown = 0;
  private backoff = 0;

  constructor(private readonly max: number, initial = 4) {
    this.length = Math.min(initial, max);
  }

  get value(): number {
    return this.length;
  }

  /** Whether to look for a draft this step (counts down a pause). */
  shouldDraft(): boolean {
    if (this.cooldown > 0) {
      this.cooldown--;
      return false;
    }
    return true;
  }

  update(proposed: number, accepted: number): void {
    if (accepted === proposed) this.length = Math.min(this.max, this.length + 2);
    else this.length = Math.max(1, this.length - 1);
    if (accepted === 0) {
      this.backoff = Math.min(16, Math.max(1, this.backoff * 2));
      this.cooldown = this.backoff;
    } else {
      this.backoff = 0;
    }
  }
}
