import type { NamedState } from '../state.js';

/**
 * An online estimate of the binary noise transition matrix T = [[1−ρ0, ρ0], [ρ1, 1−ρ1]]
 * (ρ0 = P(observed 1 | true 0), ρ1 = P(observed 0 | true 1)). Each estimator has its own `observe`;
 * `rho0`/`rho1` are always a valid pair (0 ≤ ρ, ρ0 + ρ1 < 1), `evidence` is how much data backs them
 * (events or weight seen) and `name` says which estimator produced them (to publish with the metrics).
 */
export interface NoiseEstimator {
  readonly rho0: number;
  readonly rho1: number;
  readonly evidence: number;
  readonly name: string;
  toState(): NamedState;
  fromState(state: NamedState): void;
}
