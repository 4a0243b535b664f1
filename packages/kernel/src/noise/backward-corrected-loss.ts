import type { Loss } from '../losses/base.js';
import { sigmoid, softplus } from '../math/sigmoid.js';
import { validateNoiseRates } from './validate-noise-rates.js';

/**
 * Backward loss correction for label noise, in the binary case the unbiased estimator of Natarajan
 * et al.: with ℓ1 = softplus(−z) = L(p, 1) and ℓ0 = softplus(z) = L(p, 0),
 * loss(ỹ = 1) = ((1−ρ0) ℓ1 − ρ1 ℓ0)/(1−ρ0−ρ1), loss(ỹ = 0) = ((1−ρ1) ℓ0 − ρ0 ℓ1)/(1−ρ0−ρ1), and a soft
 * ỹ mixes them: ỹ·loss(1) + (1−ỹ)·loss(0) = ((ỹ − ρ0) ℓ1 + (1 − ỹ − ρ1) ℓ0)/(1−ρ0−ρ1).
 * Its expectation over the label noise is the clean logistic loss. The gradient is the same
 * combination of ∂ℓ1/∂z = −σ(−z) and ∂ℓ0/∂z = σ(z). The loss can be negative (report, don't hide).
 *
 * Paper: N. Natarajan, I. S. Dhillon, P. Ravikumar, A. Tewari, "Learning with noisy labels", NeurIPS 2013;
 * Patrini et al., CVPR 2017 (backward correction).
 *
 * @example
 * const loss = new BackwardCorrectedLoss(0.2, 0.1);
 * loss.loss(0, 1); // ((0.8 − 0.1) · ln 2)/0.7 = ln 2
 */
export class BackwardCorrectedLoss implements Loss {
  private r0 = 0;
  private r1 = 0;
  private invK = 1;

  /**
   * @param rho0 - P(observed 1 | true 0)
   * @param rho1 - P(observed 0 | true 1); throws KernelError unless 0 ≤ ρ and ρ0 + ρ1 < 1
   */
  constructor(rho0: number, rho1: number) {
    this.setRates(rho0, rho1);
  }

  /** Current ρ0. */
  get rho0(): number {
    return this.r0;
  }

  /** Current ρ1. */
  get rho1(): number {
    return this.r1;
  }

  /** Replaces the rates; validated like the constructor's. */
  setRates(rho0: number, rho1: number): void {
    validateNoiseRates(rho0, rho1);
    this.r0 = rho0;
    this.r1 = rho1;
    this.invK = 1 / (1 - rho0 - rho1);
  }

  /** ((ỹ − ρ0) ℓ1 + (1 − ỹ − ρ1) ℓ0)/(1−ρ0−ρ1). */
  loss(z: number, y: number): number {
    return ((y - this.r0) * softplus(-z) + (1 - y - this.r1) * softplus(z)) * this.invK;
  }

  /** (−(ỹ − ρ0) σ(−z) + (1 − ỹ − ρ1) σ(z))/(1−ρ0−ρ1). */
  gradient(z: number, y: number): number {
    return (-(y - this.r0) * sigmoid(-z) + (1 - y - this.r1) * sigmoid(z)) * this.invK;
  }
}
