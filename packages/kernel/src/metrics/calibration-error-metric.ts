import type { NamedState } from '../state.js';
import { KernelError } from '../errors.js';
import type { Metric } from './base.js';

/** One bin of a reliability diagram: p in [lower, upper), its pair count and mean p and mean label (NaN when empty). */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanP: number;
  readonly meanY: number;
}

const BINS = 15;

/**
 * Expected calibration error, positive-class version: ECE = Σ_b (n_b / N) |mean(y)_b − mean(p)_b| over
 * 15 equal-width bins of p (the last bin includes p = 1). This is Guo et al.'s ECE with the predicted
 * probability of class 1 instead of the top-label confidence. Counts are integers; the sums of p and y
 * are floating, so a long sliding window should be refreshed as {@link PairWindow} describes.
 * NaN when empty. `bins()` returns the reliability diagram.
 *
 * Paper: C. Guo, G. Pleiss, Y. Sun, K. Q. Weinberger, "On calibration of modern neural networks", ICML 2017.
 *
 * @example
 * const ece = new CalibrationErrorMetric();
 * ece.update(1, 0.9); ece.update(0, 0.9);
 * ece.get(); // 0.4
 */
export class CalibrationErrorMetric implements Metric {
  /** Number of bins (15). */
  readonly nBins = BINS;
  private readonly counts = new Float64Array(BINS);
  private readonly sumP = new Float64Array(BINS);
  private readonly sumY = new Float64Array(BINS);
  private n = 0;

  /** The bin of p. */
  static binOf(p: number): number {
    const b = Math.floor(p * BINS);
    return b < 0 ? 0 : b >= BINS ? BINS - 1 : b;
  }

  /** @param y - label in [0, 1] @param p - predicted probability of y = 1 */
  update(y: number, p: number): void {
    const b = CalibrationErrorMetric.binOf(p);
    this.counts[b] += 1;
    this.sumP[b] += p;
    this.sumY[b] += y;
    this.n++;
  }

  /** Removes a pair added before. */
  revert(y: number, p: number): void {
    const b = CalibrationErrorMetric.binOf(p);
    this.counts[b] -= 1;
    this.sumP[b] -= p;
    this.sumY[b] -= y;
    if (this.counts[b] === 0) {
      this.sumP[b] = 0;
      this.sumY[b] = 0;
    }
    this.n--;
  }

  /** The ECE, NaN when empty. */
  get(): number {
    if (this.n === 0) return Number.NaN;
    let s = 0;
    for (let b = 0; b < BINS; b++) s += Math.abs(this.sumY[b] - this.sumP[b]);
    return s / this.n;
  }

  /** The reliability diagram: 15 bins from p = 0 to 1 (allocates; for reports, not per event). */
  bins(): ReliabilityBin[] {
    const out: ReliabilityBin[] = [];
    for (let b = 0; b < BINS; b++) {
      const c = this.counts[b];
      out.push({
        lower: b / BINS,
        upper: (b + 1) / BINS,
        count: c,
        meanP: c === 0 ? Number.NaN : this.sumP[b] / c,
        meanY: c === 0 ? Number.NaN : this.sumY[b] / c,
      });
    }
    return out;
  }

  /** Number of pairs. */
  get count(): number {
    return this.n;
  }

  /** The metric's sums and counts (exact round trip through {@link CalibrationErrorMetric.fromState}). */
  toState(): NamedState {
    return { kind: 'calibration-error-metric', n: this.n, counts: this.counts.slice(), sumP: this.sumP.slice(), sumY: this.sumY.slice() };
  }

  /** Restores a state from {@link CalibrationErrorMetric.toState}; the next values are identical to the original's. */
  fromState(state: NamedState): void {
    if (
      state['kind'] !== 'calibration-error-metric' ||
      typeof state['n'] !== 'number' ||
      !(state['counts'] instanceof Float64Array && state['counts'].length === this.counts.length) ||
      !(state['sumP'] instanceof Float64Array && state['sumP'].length === this.sumP.length) ||
      !(state['sumY'] instanceof Float64Array && state['sumY'].length === this.sumY.length)
    ) {
      throw new KernelError(`state of kind '${String(state['kind'])}' does not fit CalibrationErrorMetric; pass CalibrationErrorMetric.toState() output`);
    }
    this.n = state['n'] as number;
    this.counts.set(state['counts'] as Float64Array);
    this.sumP.set(state['sumP'] as Float64Array);
    this.sumY.set(state['sumY'] as Float64Array);
  }

  /** Forgets every pair. */
  reset(): void {
    this.counts.fill(0);
    this.sumP.fill(0);
    this.sumY.fill(0);
    this.n = 0;
  }
}
