import type { NamedState } from '../state.js';
import { KernelError } from '../errors.js';
import type { Metric } from './base.js';

const EPS = 1e-15;

/**
 * Mean logistic loss −[y ln p + (1−y) ln(1−p)] of probabilities, with p clipped to [1e-15, 1 − 1e-15]
 * (as scikit-learn's `log_loss` used to and River's `LogLoss` does), for hard or soft labels y ∈ [0, 1].
 * Revertible for sliding windows (see {@link PairWindow} for keeping a window exact); NaN when empty.
 *
 * @example
 * const m = new LogLossMetric();
 * m.update(1, 0.5);
 * m.get(); // Math.LN2
 */
export class LogLossMetric implements Metric {
  private sum = 0;
  private n = 0;

  /** The loss of one pair (what `update` adds), clipped as described above. */
  static pointLoss(y: number, p: number): number {
    const q = p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p;
    let l = 0;
    if (y > 0) l -= y * Math.log(q);
    if (y < 1) l -= (1 - y) * Math.log1p(-q);
    return l;
  }

  /** @param y - label in [0, 1] @param p - predicted probability of y = 1 */
  update(y: number, p: number): void {
    this.sum += LogLossMetric.pointLoss(y, p);
    this.n++;
  }

  /** Removes a pair added before. */
  revert(y: number, p: number): void {
    this.sum -= LogLossMetric.pointLoss(y, p);
    this.n--;
    if (this.n === 0) this.sum = 0;
  }

  /** Mean loss, NaN when empty. */
  get(): number {
    return this.n === 0 ? Number.NaN : this.sum / this.n;
  }

  /** Number of pairs. */
  get count(): number {
    return this.n;
  }

  /** The metric's sums and counts (exact round trip through {@link LogLossMetric.fromState}). */
  toState(): NamedState {
    return { kind: 'log-loss-metric', sum: this.sum, n: this.n };
  }

  /** Restores a state from {@link LogLossMetric.toState}; the next values are identical to the original's. */
  fromState(state: NamedState): void {
    if (
      state['kind'] !== 'log-loss-metric' ||
      typeof state['sum'] !== 'number' ||
      typeof state['n'] !== 'number'
    ) {
      throw new KernelError(`state of kind '${String(state['kind'])}' does not fit LogLossMetric; pass LogLossMetric.toState() output`);
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
