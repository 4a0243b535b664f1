import type { NamedState } from '../state.js';
import { KernelError } from '../errors.js';
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

  /** The metric's sums and counts (exact round trip through {@link BrierMetric.fromState}). */
  toState(): NamedState {
    return { kind: 'brier-metric', sum: this.sum, n: this.n };
  }

  /** Restores a state from {@link BrierMetric.toState}; the next values are identical to the original's. */
  fromState(state: NamedState): void {
    if (
      state['kind'] !== 'brier-metric' ||
      typeof state['sum'] !== 'number' ||
      typeof state['n'] !== 'number'
    ) {
      throw new KernelError(`state of kind '${String(state['kind'])}' does not fit BrierMetric; pass BrierMetric.toState() output`);
    }
    this.sum = state['sum'] as number;
    this.n = state['n'] as number;
  }

  /** Forgets every pair. */
  reset(): void {
    this.sum = 0;
    this.n = 0;
  }
}
