/**
 * Stop sequences over streamed text. Text that could be the start of a stop sequence is held
 * back until it either completes one (then it and everything after is dropped) or cannot
 * anymore (then it is released), so callers never see a partial stop string.
 */
export interface StopStep {
  /** Text that is now final. */
  readonly text: string;
  /** A stop sequence completed; nothing after `text` will be produced. */
  readonly stopped: boolean;
}

export class StopMatcher {
  private held = '';
  private readonly stops: readonly string[];

  constructor(stops: readonly string[] = []) {
    this.stops = stops.filter((s) => s.length > 0);
  }

  push(piece: string): StopStep {
    const buffer = this.held + piece;
    let at = -1;
    for (const stop of this.stops) {
      const i = buffer.indexOf(stop);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    }
    if (at >= 0) {
      this.held = '';
      return { text: buffer.slice(0, at), stopped: true };
    }
    const hold = this.partialSuffix(buffer);
    this.held = buffer.slice(buffer.length - hold);
    return { text: buffer.slice(0, buffer.length - hold), stopped: false };
  }

  /** Releases held text (the stream ended without completing a stop sequence). */
  flush(): string {
    const text = this.held;
    this.held = '';
    return text;
  }

  /** Length of the longest suffix of `buffer` that is a proper prefix of some stop sequence. */
  private partialSuffix(buffer: string): number {
    let best = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, buffer.length); n > best; n--) {
        if (buffer.endsWith(stop.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }
}
