import type { Metric } from './base.js';

/**
 * Brier score: the mean of (p − y)² over pairs, for hard or soft labels. Revertible; NaN when empty.
 *
 * @example
 * const m = new BrierMetric();
 * m.update(1, 0.8);
 * m.get(); // 0.04 (up to rounding)
 */
export class BrierMetric implements Metric {
  private sum = 0;
  private n = 0;

  /** @param y - label in [0, 1] @param p - predicted probability of y = 1 */
  update(y: number, p: number): void {
    const d = p - y;
    this.sum += d * d;
    this.n++;
  }

  /** Removes a pair added before. */
  revert(y: number, p: number): void {
    const d = p - y;
    this.sum -= d * d;
    this.n--;
    if (this.n === 0) this.sum = 0;
  }

  /** Mean squared error of the probabilities, NaN when empty. */
  get(): number {
    return this.n === 0 ? Number.NaN : this.sum / this.n;
  }

  /** Number of pairs. */
  get count(): number {
    return this.n;
  }

  /** Forgets every pair. */
  reset(): void {
    this.sum = 0;
    this.n = 0;
  }
}
