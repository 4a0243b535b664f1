import { KernelError } from '../errors.js';

/**
 * Checks that (ρ0, ρ1) make a valid binary noise transition matrix: both finite, 0 ≤ ρ0, 0 ≤ ρ1 and
 * ρ0 + ρ1 < 1 (otherwise the noisy label carries no information about the true one, or less than none).
 *
 * @param rho0 - P(observed 1 | true 0)
 * @param rho1 - P(observed 0 | true 1)
 * @throws KernelError naming both rates and the rule
 * @example
 * validateNoiseRates(0.2, 0.1); // ok
 * validateNoiseRates(0.6, 0.5); // throws: noise rates ρ0 = 0.6, ρ1 = 0.5 are invalid: ...
 */
export function validateNoiseRates(rho0: number, rho1: number): void {
  if (Number.isFinite(rho0) && Number.isFinite(rho1) && rho0 >= 0 && rho1 >= 0 && rho0 + rho1 < 1) return;
  throw new KernelError(
    `noise rates ρ0 = ${rho0}, ρ1 = ${rho1} are invalid: they must satisfy 0 ≤ ρ0, 0 ≤ ρ1 and ρ0 + ρ1 < 1 ` +
      `(ρ0 = P(observed 1 | true 0), ρ1 = P(observed 0 | true 1)); give smaller rates, e.g. 0.2,0.1`,
  );
}
