import { KernelError } from '../errors.js';
import type { NamedState } from '../state.js';
import type { NoiseEstimator } from './base.js';
import { clipNoiseRatesInto } from './clip-noise-rates.js';

/** Settings of {@link AnchorPointEstimator}. */
export interface AnchorPointEstimatorOptions {
  /** Equal-width histogram bins over p̃ ∈ [0, 1] (default 1000). */
  readonly bins?: number;
  /** Quantile of p̃ taken as ρ0 (default 0.01). */
  readonly lowQuantile?: number;
  /** Quantile of p̃ taken as 1 − ρ1 (default 0.99). */
  readonly highQuantile?: number;
}

/**
 * Anchor-point estimate of the noise rates from a model trained on the noisy labels: its probability
 * p̃ estimates the noisy posterior ρ0 + (1 − ρ0 − ρ1) η(x), which is ρ0 where the clean posterior η is
 * 0 and 1 − ρ1 where η is 1. So ρ0 ≈ a low quantile of p̃ and 1 − ρ1 ≈ a high quantile (quantiles
 * rather than min/max, for robustness), read from a streaming histogram with linear interpolation in
 * the bin. `observe` is O(1) and allocates nothing; reading a rate is O(bins).
 *
 * Caveat (SPEC §1): with a linear (logistic) model fitted on the noisy labels the estimate is biased
 * low. The noisy posterior ρ0 + (1 − ρ0 − ρ1) η is bounded away from 0 and 1 and is not logistic, so
 * the fitted p̃ overshoots toward 0 and 1 at the extremes and its quantiles fall below ρ0 and above
 * 1 − ρ1 (the tests show it). Only a model that fits the noisy posterior well gives good anchors; and
 * when few events are true anchors (η near 0 or 1) the quantiles sit inside the range instead, a bias
 * the other way. Prefer trusted events ({@link TrustedPairEstimator},
 * {@link PosteriorRegressionEstimator}) when there are any.
 *
 * Paper: G. Patrini et al., "Making deep neural networks robust to label noise: a loss correction
 * approach", CVPR 2017 (anchor points); Liu & Tao, TPAMI 2016.
 *
 * @example
 * const est = new AnchorPointEstimator();
 * for (let i = 0; i <= 1000; i++) est.observe(0.2 + 0.7 * (i / 1000));
 * est.rho0; // ≈ 0.207, est.rho1 // ≈ 0.107 (true 0.2 and 0.1, η uniform)
 */
export class AnchorPointEstimator implements NoiseEstimator {
  readonly name = 'anchor';
  readonly bins: number;
  readonly lowQuantile: number;
  readonly highQuantile: number;
  private readonly hist: Float64Array;
  private n = 0;
  private readonly out = new Float64Array(2);

  /** @param options - see {@link AnchorPointEstimatorOptions} */
  constructor(options: AnchorPointEstimatorOptions = {}) {
    this.bins = options.bins ?? 1000;
    this.lowQuantile = options.lowQuantile ?? 0.01;
    this.highQuantile = options.highQuantile ?? 0.99;
    if (!Number.isInteger(this.bins) || this.bins < 10) {
      throw new KernelError(`anchor-point bins ${this.bins} must be an integer ≥ 10 (default 1000)`);
    }
    if (!(this.lowQuantile >= 0 && this.lowQuantile < this.highQuantile && this.highQuantile <= 1)) {
      throw new KernelError(
        `anchor-point quantiles ${this.lowQuantile} and ${this.highQuantile} are invalid: need 0 ≤ lowQuantile < highQuantile ≤ 1`,
      );
    }
    this.hist = new Float64Array(this.bins);
  }

  /** @param pNoisy - the noisy-label model's probability for an event */
  observe(pNoisy: number): void {
    let b = Math.floor(pNoisy * this.bins);
    if (b < 0) b = 0;
    else if (b >= this.bins) b = this.bins - 1;
    this.hist[b] += 1;
    this.n++;
  }

  /** The q-quantile of the observed p̃ (linear within a bin); NaN when empty. */
  quantile(q: number): number {
    if (this.n === 0) return Number.NaN;
    const target = q * this.n;
    let cum = 0;
    for (let b = 0; b < this.bins; b++) {
      const c = this.hist[b];
      if (c > 0 && cum + c >= target) return (b + (target - cum) / c) / this.bins;
      cum += c;
    }
    return 1;
  }

  private compute(): void {
    if (this.n === 0) {
      this.out[0] = 0;
      this.out[1] = 0;
      return;
    }
    clipNoiseRatesInto(this.out, this.quantile(this.lowQuantile), 1 - this.quantile(this.highQuantile));
  }

  /** ρ0 ≈ low quantile of p̃ (0 before any event). */
  get rho0(): number {
    this.compute();
    return this.out[0];
  }

  /** ρ1 ≈ 1 − high quantile of p̃ (0 before any event). */
  get rho1(): number {
    this.compute();
    return this.out[1];
  }

  /** Events observed. */
  get evidence(): number {
    return this.n;
  }

  /** Forgets all events. */
  reset(): void {
    this.hist.fill(0);
    this.n = 0;
  }

  /** The histogram. */
  toState(): NamedState {
    return { kind: 'anchor', hist: this.hist.slice(), n: this.n };
  }

  /** Restores a state from {@link AnchorPointEstimator.toState} of an estimator with the same bin count. */
  fromState(state: NamedState): void {
    const h = state['hist'];
    if (state['kind'] !== 'anchor' || !(h instanceof Float64Array) || h.length !== this.bins) {
      throw new KernelError(`state does not fit an anchor-point estimator with ${this.bins} bins; pass AnchorPointEstimator.toState() output`);
    }
    this.hist.set(h);
    this.n = state['n'] as number;
  }
}
