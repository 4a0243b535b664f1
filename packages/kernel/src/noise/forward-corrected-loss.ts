import type { Loss } from '../losses/base.js';
import { validateNoiseRates } from './validate-noise-rates.js';

/** ln(e^a + e^b), exact when either is −∞. */
function logAddExp(a: number, b: number): number {
  const m = a > b ? a : b;
  if (m === -Infinity) return -Infinity;
  const d = a > b ? b - a : a - b;
  return m + Math.log1p(Math.exp(d));
}

/**
 * Forward loss correction for label noise: the logistic loss of the noisy label ỹ against the
 * noisy-label probability q = ρ0 (1 − p) + (1 − ρ1) p, p = σ(z):
 * L = −[ỹ ln q + (1 − ỹ) ln(1 − q)]; the model keeps predicting the clean p.
 * Computed in log space, ln q = logaddexp(ln ρ0 + ln σ(−z), ln(1−ρ1) + ln σ(z)) and likewise
 * ln(1 − q) = logaddexp(ln(1−ρ0) + ln σ(−z), ln ρ1 + ln σ(z)), so it never takes the log of a rounded 0
 * (finite for |z| ≤ 800 and beyond, also when ρ0 or ρ1 is 0). The gradient
 * ∂L/∂z = (q − ỹ)/(q(1−q)) · (1−ρ0−ρ1) · p(1−p) is evaluated as
 * (1−ρ0−ρ1) [(1−ỹ) e^(ln p + ln(1−p) − ln(1−q)) − ỹ e^(ln p + ln(1−p) − ln q)].
 * A soft ỹ ∈ [0, 1] mixes the two rows. With ρ0 = ρ1 = 0 it is the plain logistic loss.
 *
 * Paper: G. Patrini et al., "Making deep neural networks robust to label noise: a loss correction
 * approach", CVPR 2017.
 *
 * @example
 * const loss = new ForwardCorrectedLoss(0.2, 0.1);
 * loss.loss(0, 1);     // −ln(0.2·0.5 + 0.9·0.5) = −ln 0.55
 * loss.gradient(0, 1); // (0.55 − 1)/(0.55·0.45) · 0.7 · 0.25
 */
export class ForwardCorrectedLoss implements Loss {
  private r0 = 0;
  private r1 = 0;
  private k = 1;
  private lnR0 = -Infinity;
  private lnR1 = -Infinity;
  private ln1mR0 = 0;
  private ln1mR1 = 0;
  private lp = 0;
  private lm = 0;

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

  /** Replaces the rates (e.g. with a new online estimate); validated like the constructor's. */
  setRates(rho0: number, rho1: number): void {
    validateNoiseRates(rho0, rho1);
    this.r0 = rho0;
    this.r1 = rho1;
    this.k = 1 - rho0 - rho1;
    this.lnR0 = Math.log(rho0);
    this.lnR1 = Math.log(rho1);
    this.ln1mR0 = Math.log1p(-rho0);
    this.ln1mR1 = Math.log1p(-rho1);
  }

  /** Sets this.lp = ln σ(z) and this.lm = ln σ(−z) from one exp and one log1p. */
  private logs(z: number): void {
    const a = Math.log1p(Math.exp(-Math.abs(z)));
    if (z >= 0) {
      this.lp = -a;
      this.lm = -z - a;
    } else {
      this.lp = z - a;
      this.lm = -a;
    }
  }

  /** ln q for score z. */
  logQ(z: number): number {
    this.logs(z);
    return logAddExp(this.lnR0 + this.lm, this.ln1mR1 + this.lp);
  }

  /** ln(1 − q) for score z. */
  logOneMinusQ(z: number): number {
    this.logs(z);
    return logAddExp(this.ln1mR0 + this.lm, this.lnR1 + this.lp);
  }

  /** −[ỹ ln q + (1−ỹ) ln(1−q)]. */
  loss(z: number, y: number): number {
    this.logs(z);
    const lp = this.lp;
    const lm = this.lm;
    let l = 0;
    if (y > 0) l -= y * logAddExp(this.lnR0 + lm, this.ln1mR1 + lp);
    if (y < 1) l -= (1 - y) * logAddExp(this.ln1mR0 + lm, this.lnR1 + lp);
    return l;
  }

  /** ∂L/∂z (see the class comment for the stable form). */
  gradient(z: number, y: number): number {
    this.logs(z);
    const lp = this.lp;
    const lm = this.lm;
    const lpq = lp + lm;
    let g = 0;
    if (y < 1) g += (1 - y) * Math.exp(lpq - logAddExp(this.ln1mR0 + lm, this.lnR1 + lp));
    if (y > 0) g -= y * Math.exp(lpq - logAddExp(this.lnR0 + lm, this.ln1mR1 + lp));
    return this.k * g;
  }
}
