import { KernelError } from '../errors.js';
import type { NamedState } from '../state.js';

/**
 * Running count, mean and variance of a stream of numbers by Welford's algorithm (Welford, 1962;
 * Knuth TAOCP vol. 2, §4.2.2): n += 1, δ = x − mean, mean += δ/n, M2 += δ·(x − mean). Numerically stable,
 * O(1) memory, no allocation.
 *
 * @example
 * const s = new Welford();
 * for (const x of [1, 2, 3, 4]) s.update(x);
 * s.mean;           // 2.5
 * s.variance;       // 1.25 (population, divide by n)
 * s.sampleVariance; // 1.666… (divide by n − 1)
 */
export class Welford {
  private n = 0;
  private m = 0;
  private m2 = 0;

  /** Adds one value. */
  update(x: number): void {
    const n = this.n + 1;
    const d = x - this.m;
    this.n = n;
    this.m += d / n;
    this.m2 += d * (x - this.m);
  }

  /** Number of values seen. */
  get count(): number {
    return this.n;
  }

  /** The mean (0 before any value). */
  get mean(): number {
    return this.m;
  }

  /** The population variance M2/n (0 before any value). */
  get variance(): number {
    return this.n > 0 ? this.m2 / this.n : 0;
  }

  /** The unbiased sample variance M2/(n − 1) (0 before two values). */
  get sampleVariance(): number {
    return this.n > 1 ? this.m2 / (this.n - 1) : 0;
  }

  /** √variance (population). */
  get std(): number {
    return Math.sqrt(this.variance);
  }

  /** Forgets every value. */
  reset(): void {
    this.n = 0;
    this.m = 0;
    this.m2 = 0;
  }

  /** The learned state: `{ count, mean, m2 }`. */
  toState(): NamedState {
    return { kind: 'welford', count: this.n, mean: this.m, m2: this.m2 };
  }

  /** Restores a state from {@link Welford.toState}. */
  fromState(state: NamedState): void {
    const { count, mean, m2 } = state;
    if (state.kind !== 'welford' || typeof count !== 'number' || typeof mean !== 'number' || typeof m2 !== 'number') {
      throw new KernelError('Welford.fromState needs { kind: "welford", count, mean, m2 } numbers; pass a state produced by Welford.toState()');
    }
    this.n = count;
    this.m = mean;
    this.m2 = m2;
  }
}
