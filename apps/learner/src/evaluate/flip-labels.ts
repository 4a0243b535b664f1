import type { Rng } from '@logit-stream/kernel';
import { EvaluationError } from './evaluation-error.js';

/**
 * Flips hard 0/1 labels with class-conditional probabilities, the noise model of SPEC §1
 * (T = [[1−ρ0, ρ0], [ρ1, 1−ρ1]]): a clean 0 becomes 1 with probability ρ0, a clean 1 becomes 0 with
 * probability ρ1. Exactly one `rng.next()` is drawn per label, whatever its class, so the flips of
 * one class do not depend on the other class's rate and a seed always gives the same flips.
 *
 * @param clean - clean labels, each 0 or 1
 * @param rho0 - P(observed 1 | true 0), in [0, 1)
 * @param rho1 - P(observed 0 | true 1), in [0, 1), with ρ0 + ρ1 < 1
 * @param rng - the random source (advanced by `clean.length` draws)
 * @returns the noisy labels, a new Uint8Array of 0/1
 * @throws EvaluationError when a rate is out of range or a label is not 0/1
 * @example
 * const noisy = flipLabels(Uint8Array.of(0, 1, 1, 0), 0.2, 0.3, new Rng(1)); // 0/1 labels, same every time
 */
export function flipLabels(clean: ArrayLike<number>, rho0: number, rho1: number, rng: Rng): Uint8Array {
  if (!(rho0 >= 0 && rho1 >= 0 && rho0 < 1 && rho1 < 1 && rho0 + rho1 < 1)) {
    throw new EvaluationError(
      `noise rates rho0 = ${rho0}, rho1 = ${rho1} are not allowed: use 0 <= rho0, 0 <= rho1 and rho0 + rho1 < 1`,
    );
  }
  const n = clean.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const y = clean[i];
    const u = rng.next();
    if (y === 0) out[i] = u < rho0 ? 1 : 0;
    else if (y === 1) out[i] = u < rho1 ? 0 : 1;
    else throw new EvaluationError(`label ${y} at row ${i} is not 0 or 1: label flipping needs hard labels`);
  }
  return out;
}
