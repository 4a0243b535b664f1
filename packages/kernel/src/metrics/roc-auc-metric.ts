import type { NamedState } from '../state.js';
import { KernelError } from '../errors.js';
import type { Metric } from './base.js';

/** Settings of {@link RocAucMetric}. */
export interface RocAucMetricOptions {
  /** Equal-width bins over p ∈ [0, 1] (default 4096). */
  readonly bins?: number;
}

/**
 * Area under the ROC curve from a histogram of p: the probability that a random positive scores above
 * a random negative, with pairs in the same bin counted ½. A soft label y counts as a positive of weight
 * y and a negative of weight 1 − y. With hard labels the bin weights are integers and `revert` is exact.
 *
 * Binning error: pairs of a positive and a negative in one bin are counted ½ whatever their order, so
 * |binned − exact| ≤ ½ Σ_b pos_b · neg_b / (P · N) (exactly 0 when no bin holds both classes, and tiny
 * for continuous scores with 4096 bins). NaN while either class has zero weight.
 *
 * @example
 * const auc = new RocAucMetric();
 * auc.update(0, 0.2); auc.update(1, 0.9); auc.update(0, 0.7);
 * auc.get(); // 1
 */
export class RocAucMetric implements Metric {
  readonly bins: number;
  private readonly pos: Float64Array;
  private readonly neg: Float64Array;
  private totalPos = 0;
  private totalNeg = 0;
  private n = 0;

  /** @param options - see {@link RocAucMetricOptions} */
  constructor(options: RocAucMetricOptions = {}) {
    this.bins = options.bins ?? 4096;
    if (!Number.isInteger(this.bins) || this.bins < 2) {
      throw new KernelError(`ROC AUC bins ${this.bins} must be an integer ≥ 2 (default 4096)`);
    }
    this.pos = new Float64Array(this.bins);
    this.neg = new Float64Array(this.bins);
  }

  private bin(p: number): number {
    const b = Math.floor(p * this.bins);
    return b < 0 ? 0 : b >= this.bins ? this.bins - 1 : b;
  }

  /** @param y - label in [0, 1] @param p - predicted probability of y = 1 */
  update(y: number, p: number): void {
    const b = this.bin(p);
    this.pos[b] += y;
    this.neg[b] += 1 - y;
    this.totalPos += y;
    this.totalNeg += 1 - y;
    this.n++;
  }

  /** Removes a pair added before. */
  revert(y: number, p: number): void {
    const b = this.bin(p);
    this.pos[b] -= y;
    this.neg[b] -= 1 - y;
    this.totalPos -= y;
    this.totalNeg -= 1 - y;
    this.n--;
    if (this.n === 0) this.reset();
  }

  /** The AUC (O(bins)); NaN while positives or negatives are missing. */
  get(): number {
    if (!(this.totalPos > 0 && this.totalNeg > 0)) return Number.NaN;
    let negBelow = 0;
    let area = 0;
    for (let b = 0; b < this.bins; b++) {
      const pb = this.pos[b];
      const nb = this.neg[b];
      if (pb !== 0) area += pb * (negBelow + 0.5 * nb);
      negBelow += nb;
    }
    return area / (this.totalPos * this.totalNeg);
  }

  /** Number of pairs. */
  get count(): number {
    return this.n;
  }

  /** The metric's sums and counts (exact round trip through {@link RocAucMetric.fromState}). */
  toState(): NamedState {
    return { kind: 'roc-auc-metric', totalPos: this.totalPos, totalNeg: this.totalNeg, n: this.n, pos: this.pos.slice(), neg: this.neg.slice() };
  }

  /** Restores a state from {@link RocAucMetric.toState}; the next values are identical to the original's. */
  fromState(state: NamedState): void {
    if (
      state['kind'] !== 'roc-auc-metric' ||
      typeof state['totalPos'] !== 'number' ||
      typeof state['totalNeg'] !== 'number' ||
      typeof state['n'] !== 'number' ||
      !(state['pos'] instanceof Float64Array && state['pos'].length === this.pos.length) ||
      !(state['neg'] instanceof Float64Array && state['neg'].length === this.neg.length)
    ) {
      throw new KernelError(`state of kind '${String(state['kind'])}' does not fit RocAucMetric; pass RocAucMetric.toState() output`);
    }
    this.totalPos = state['totalPos'] as number;
    this.totalNeg = state['totalNeg'] as number;
    this.n = state['n'] as number;
    this.pos.set(state['pos'] as Float64Array);
    this.neg.set(state['neg'] as Float64Array);
  }

  /** Forgets every pair. */
  reset(): void {
    this.pos.fill(0);
    this.neg.fill(0);
    this.totalPos = 0;
    this.totalNeg = 0;
    this.n = 0;
  }
}
