import { Rng } from '@logit-stream/kernel';

/**
 * Class-conditional label flips: a clean 0 becomes 1 with probability ρ0, a clean 1 becomes 0 with
 * probability ρ1 (one seeded draw per label). Symmetric noise is ρ0 = ρ1.
 *
 * Paper: N. Natarajan, I. S. Dhillon, P. Ravikumar, A. Tewari, "Learning with noisy labels", NeurIPS 2013.
 *
 * @param clean the clean 0/1 labels
 * @param rho0 P(noisy 1 | clean 0)
 * @param rho1 P(noisy 0 | clean 1)
 * @param seed seed of the flips
 * @example
 * flipLabels(Float64Array.from([0, 1]), 0, 0, 1); // Float64Array [0, 1]
 */
export function flipLabels(clean: ArrayLike<number>, rho0: number, rho1: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(clean.length);
  for (let i = 0; i < clean.length; i++) {
    const u = rng.next();
    const c = clean[i] >= 0.5 ? 1 : 0;
    out[i] = c === 0 ? (u < rho0 ? 1 : 0) : u < rho1 ? 0 : 1;
  }
  return out;
}
