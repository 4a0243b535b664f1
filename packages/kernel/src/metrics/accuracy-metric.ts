import type { NamedState } from '../state.js';
import { KernelError } from '../errors.js';
import type { Metric } from './base.js';

/**
 * Accuracy at threshold 0.5: the share of pairs where (p ≥ 0.5) equals (y ≥ 0.5). Integer counts, so
 * `revert` is exact. NaN when empty.
 *
 * @example
 * const m = new AccuracyMetric();
 * m.update(1, 0.7); m.update(0, 0.6);
 * m.get(); // 0.5
 */
export class AccuracyMetric implements Metric {
  private correct = 0;
  private n = 0;

  /** @param y - label in [0, 1] @param p - predicted probability of y = 1 */
  update(y: number, p: number): void {
    if (p >= 0.5 === y >= 0.5) this.correct++;
    this.n++;
  }

  /** Removes a pair added before. */
  revert(y: number, p: number): void {
    if (p >= 0.5 === y >= 0.5) this.correct--;
    this.n--;
  }

  /** Share of correct decisions, NaN when empty. */
  get(): number {
    return this.n === 0 ? Number.NaN : this.correct / this.n;
  }

  /** Number of pairs. */
  get count(): number {
    return this.n;
  }

  /** The metric's sums and counts (exact round trip through {@link AccuracyMetric.fromState}). */
  toState(): NamedState {
    return { kind: 'accuracy-metric', correct: this.correct, n: this.n };
  }

  /** Restores a state from {@link AccuracyMetric.toState}; the next values are identical to the original's. */
  fromState(state: NamedState): void {
    if (
      state['kind'] !== 'accuracy-metric' ||
      typeof state['correct'] !== 'number' ||
      typeof state['n'] !== 'number'
    ) {
      throw new KernelError(`state of kind '${String(state['kind'])}' does not fit AccuracyMetric; pass AccuracyMetric.toState() output`);
    }
    this.correct = state['correct'] as number;
    this.n = state['n'] as number;
  }

  /** Forgets every pair. */
  reset(): void {
    this.correct = 0;
    this.n = 0;
  }
}
