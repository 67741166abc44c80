/**
 * Seeded standard normal noise: the project's mulberry32 generator through the Box–Muller
 * transform. The same seed gives the same numbers on every run and platform, which is what
 * makes "same seed and parameters → identical PNG bytes" hold.
 */
import { Rng } from '../common/rng';

export class GaussianNoise {
  private readonly rng: Rng;
  private spare: number | undefined;

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  next(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    // 1 − u keeps the logarithm's argument in (0, 1].
    const u1 = 1 - this.rng.next();
    const u2 = this.rng.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  fill(n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.next();
    return out;
  }
}
