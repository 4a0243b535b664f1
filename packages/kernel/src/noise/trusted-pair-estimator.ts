import { KernelError } from '../errors.js';
import type { NamedState } from '../state.js';
import type { NoiseEstimator } from './base.js';
import { clipNoiseRatesInto } from './clip-noise-rates.js';

/** Settings of {@link TrustedPairEstimator}. */
export interface TrustedPairEstimatorOptions {
  /** Prior mean of each rate (default 0.05). */
  readonly priorRate?: number;
  /** Weight of the prior in pseudo-events per true class (default 2: a weak prior). */
  readonly priorStrength?: number;
}

/**
 * Estimates the noise rates from trusted (audited) events that also carry what the noisy source said:
 * it counts (true label, source label) pairs and, with a weak Beta prior (mean `priorRate`, weight
 * `priorStrength` pseudo-events), reports
 * ρ0 = (n(t=0, s=1) + α) / (n(t=0) + α + β) ≈ P(source 1 | true 0) and
 * ρ1 = (n(t=1, s=0) + α) / (n(t=1) + α + β) ≈ P(source 0 | true 1),
 * α = priorRate·priorStrength, β = (1 − priorRate)·priorStrength (the posterior means). Soft labels
 * count fractionally. `evidence` is the weight of trusted pairs seen. `observe` allocates nothing.
 *
 * @example
 * const est = new TrustedPairEstimator();
 * est.observe(0, 1); est.observe(0, 0); est.observe(1, 1);
 * est.rho0; // (1 + 0.1) / (2 + 2)
 */
export class TrustedPairEstimator implements NoiseEstimator {
  readonly name = 'trusted';
  readonly priorRate: number;
  readonly priorStrength: number;
  private readonly c = new Float64Array(4); // index 2·t + s
  private readonly out = new Float64Array(2);

  /** @param options - see {@link TrustedPairEstimatorOptions} */
  constructor(options: TrustedPairEstimatorOptions = {}) {
    this.priorRate = options.priorRate ?? 0.05;
    this.priorStrength = options.priorStrength ?? 2;
    if (!(this.priorRate > 0 && this.priorRate < 0.5) || !(this.priorStrength > 0)) {
      throw new KernelError(
        `trusted-pair prior rate ${this.priorRate} and strength ${this.priorStrength} are invalid: need 0 < priorRate < 0.5 and priorStrength > 0`,
      );
    }
  }

  /**
   * @param label - the verified true label (0/1 or soft)
   * @param sourceLabel - what the noisy source said for the same event
   */
  observe(label: number, sourceLabel: number): void {
    const t = label;
    const s = sourceLabel;
    this.c[0] += (1 - t) * (1 - s);
    this.c[1] += (1 - t) * s;
    this.c[2] += t * (1 - s);
    this.c[3] += t * s;
  }

  private compute(): void {
    const a = this.priorRate * this.priorStrength;
    const ab = this.priorStrength;
    const r0 = (this.c[1] + a) / (this.c[0] + this.c[1] + ab);
    const r1 = (this.c[2] + a) / (this.c[2] + this.c[3] + ab);
    clipNoiseRatesInto(this.out, r0, r1);
  }

  /** Posterior mean of P(source 1 | true 0). */
  get rho0(): number {
    this.compute();
    return this.out[0];
  }

  /** Posterior mean of P(source 0 | true 1). */
  get rho1(): number {
    this.compute();
    return this.out[1];
  }

  /** Weight of trusted pairs observed. */
  get evidence(): number {
    return this.c[0] + this.c[1] + this.c[2] + this.c[3];
  }

  /** Forgets all pairs. */
  reset(): void {
    this.c.fill(0);
  }

  /** The four pair counts. */
  toState(): NamedState {
    return { kind: 'trusted-pair', counts: this.c.slice() };
  }

  /** Restores a state from {@link TrustedPairEstimator.toState}. */
  fromState(state: NamedState): void {
    const c = state['counts'];
    if (state['kind'] !== 'trusted-pair' || !(c instanceof Float64Array) || c.length !== 4) {
      throw new KernelError('state is not a trusted-pair estimator state; pass TrustedPairEstimator.toState() output');
    }
    this.c.set(c);
  }
}
