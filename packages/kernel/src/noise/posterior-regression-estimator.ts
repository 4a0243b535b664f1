import { KernelError } from '../errors.js';
import type { NamedState } from '../state.js';
import type { NoiseEstimator } from './base.js';
import { clipNoiseRatesInto } from './clip-noise-rates.js';

/**
 * Estimates the noise rates by online least squares of noisy labels ỹ on a clean model's probability
 * p (a model fitted on trusted events only): since E[ỹ | x] = ρ0 + (1 − ρ0 − ρ1) p(x), the intercept
 * estimates ρ0 and 1 − intercept − slope estimates ρ1; the result is clipped to a valid T
 * ({@link clipNoiseRatesInto}). Sums are kept Welford-style (running means and co-moments), stable
 * over long streams. Until two distinct p have been seen the rates are 0. Consistent when the clean
 * model is calibrated; p spread over [0, 1] makes it precise.
 *
 * @example
 * const est = new PosteriorRegressionEstimator();
 * est.observe(0.0, 0); est.observe(0.0, 1); est.observe(1.0, 1); est.observe(1.0, 1);
 * est.rho0; // 0.5 (intercept), est.rho1 // 0 (1 − 0.5 − 0.5)
 */
export class PosteriorRegressionEstimator implements NoiseEstimator {
  readonly name = 'posterior-regression';
  private n = 0;
  private meanP = 0;
  private meanY = 0;
  private cpp = 0;
  private cpy = 0;
  private readonly out = new Float64Array(2);

  /**
   * @param pClean - the clean model's probability for the event
   * @param noisyLabel - the label the noisy source gave it
   */
  observe(pClean: number, noisyLabel: number): void {
    this.n++;
    const dp = pClean - this.meanP;
    this.meanP += dp / this.n;
    this.meanY += (noisyLabel - this.meanY) / this.n;
    this.cpp += dp * (pClean - this.meanP);
    this.cpy += dp * (noisyLabel - this.meanY);
  }

  /** Fitted slope of ỹ on p (0 before the fit is defined). */
  get slope(): number {
    return this.cpp > 1e-12 * this.n ? this.cpy / this.cpp : 0;
  }

  /** Fitted intercept of ỹ on p. */
  get intercept(): number {
    return this.meanY - this.slope * this.meanP;
  }

  private compute(): void {
    if (!(this.cpp > 1e-12 * this.n)) {
      this.out[0] = 0;
      this.out[1] = 0;
      return;
    }
    const b = this.intercept;
    clipNoiseRatesInto(this.out, b, 1 - b - this.slope);
  }

  /** ρ0 = intercept, clipped. */
  get rho0(): number {
    this.compute();
    return this.out[0];
  }

  /** ρ1 = 1 − intercept − slope, clipped. */
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
    this.n = 0;
    this.meanP = 0;
    this.meanY = 0;
    this.cpp = 0;
    this.cpy = 0;
  }

  /** Running means and co-moments. */
  toState(): NamedState {
    return { kind: 'posterior-regression', n: this.n, meanP: this.meanP, meanY: this.meanY, cpp: this.cpp, cpy: this.cpy };
  }

  /** Restores a state from {@link PosteriorRegressionEstimator.toState}. */
  fromState(state: NamedState): void {
    if (state['kind'] !== 'posterior-regression') {
      throw new KernelError('state is not a posterior-regression estimator state; pass PosteriorRegressionEstimator.toState() output');
    }
    this.n = state['n'] as number;
    this.meanP = state['meanP'] as number;
    this.meanY = state['meanY'] as number;
    this.cpp = state['cpp'] as number;
    this.cpy = state['cpy'] as number;
  }
}
