/**
 * The baseline for `lathe bench quality`: a 4-gram token model with stupid backoff (3-, 2-,
 * 1-token contexts), trained on the same token stream as the model (the recipe's train.bin,
 * uint16 token ids). For each context it keeps only the most frequent next token, which is
 * all greedy line completion needs. Keys pack 14-bit token ids into BigUint64 and are sorted
 * natively.
 */
const MAX_TOKEN = 0x3fff;

interface Level {
  /** Sorted context keys (as doubles: ≤ 42 bits, exact). */
  readonly keys: Float64Array;
  readonly best: Uint16Array;
}

export class NgramModel {
  private constructor(private readonly levels: readonly Level[], readonly order: number, readonly trainedTokens: number) {}

  static train(tokens: Uint16Array, order = 4): NgramModel {
    for (const t of tokens) if (t > MAX_TOKEN) throw new RangeError(`token id ${t} does not fit in 14 bits`);
    const levels: Level[] = [];
    for (let ctx = order - 1; ctx >= 1; ctx--) levels.push(buildLevel(tokens, ctx));
    return new NgramModel(levels, order, tokens.length);
  }

  /** The most likely next token after `history`, backing off to shorter contexts. */
  next(history: readonly number[]): number | undefined {
    for (const [i, level] of this.levels.entries()) {
      const ctx = this.order - 1 - i;
      if (history.length < ctx) continue;
      let key = 0;
      for (let j = history.length - ctx; j < history.length; j++) key = key * 16384 + history[j];
      const at = search(level.keys, key);
      if (at >= 0) return level.best[at];
    }
    return undefined;
  }
}

/**
 * Packs (context tokens…, next) as one 56-bit key: bits 0–13 next, 14–27 the last context
 * token, 28–41 and 42–55 the earlier ones. Written through a Uint32 view (little-endian words)
 * so no BigInt is built per token; the BigUint64Array is then sorted natively.
 */
function buildLevel(tokens: Uint16Array, ctx: number): Level {
  const n = Math.max(0, tokens.length - ctx);
  const packed = new BigUint64Array(n);
  const words = new Uint32Array(packed.buffer);
  for (let i = 0; i < n; i++) {
    const next = tokens[i + ctx];
    const t1 = tokens[i + ctx - 1];
    const t2 = ctx >= 2 ? tokens[i + ctx - 2] : 0;
    const t3 = ctx >= 3 ? tokens[i + ctx - 3] : 0;
    const lo28 = (t1 << 14) | next;
    const hi28 = (t3 << 14) | t2;
    words[2 * i] = (lo28 | ((hi28 & 0xf) << 28)) >>> 0;
    words[2 * i + 1] = hi28 >>> 4;
  }
  packed.sort();
  const keys: number[] = [];
  const best: number[] = [];
  let i = 0;
  // Context of entry k: the key without its low 14 bits, as an exact double (≤ 42 bits).
  const contextAt = (k: number) => words[2 * k + 1] * 262144 + (words[2 * k] >>> 14);
  while (i < n) {
    const context = contextAt(i);
    let bestToken = 0;
    let bestCount = 0;
    while (i < n && contextAt(i) === context) {
      const lo = words[2 * i];
      let count = 0;
      while (i < n && words[2 * i] === lo && contextAt(i) === context) {
        count++;
        i++;
      }
      if (count > bestCount) {
        bestCount = count;
        bestToken = lo & 0x3fff;
      }
    }
    keys.push(context);
    best.push(bestToken);
  }
  return { keys: Float64Array.from(keys), best: Uint16Array.from(best) };
}

function search(keys: Float64Array, key: number): number {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = keys[mid];
    if (v === key) return mid;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
