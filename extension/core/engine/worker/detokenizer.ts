/**
 * Incremental detokenization: the text each new token adds, without re-decoding the whole
 * output every step and without emitting half of a multi-byte character (byte-level BPE can
 * split one UTF-8 character across tokens; the decoder shows those as U+FFFD until complete).
 */
import type { ModelTokenizer } from '../../models/tokenizer';

export class IncrementalDetokenizer {
  private readonly ids: number[] = [];
  private prefixOffset = 0;
  private readOffset = 0;

  constructor(private readonly tokenizer: ModelTokenizer) {}

  push(id: number): string {
    this.ids.push(id);
    const prefix = this.decode(this.prefixOffset, this.readOffset);
    const full = this.decode(this.prefixOffset, this.ids.length);
    if (full.length > prefix.length && !full.endsWith('\uFFFD')) {
      this.prefixOffset = this.readOffset;
      this.readOffset = this.ids.length;
      return full.slice(prefix.length);
    }
    return '';
  }

  /** Text not yet returned (an incomplete character at the end of the stream). */
  flush(): string {
    const prefix = this.decode(this.prefixOffset, this.readOffset);
    const full = this.decode(this.prefixOffset, this.ids.length);
    this.prefixOffset = this.readOffset = this.ids.length;
    return full.length > prefix.length ? full.slice(prefix.length) : '';
  }

  private decode(from: number, to: number): string {
    return from >= to ? '' : this.tokenizer.decode(this.ids.slice(from, to), { skipSpecialTokens: true });
  }
}
