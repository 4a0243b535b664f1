import type { SparseVector } from '../features/sparse-vector.js';
import type { NamedState } from '../state.js';

/**
 * A linear model together with the optimiser that trains it: it owns the weights (w, b) and whatever
 * per-coordinate state the update rule needs, so that lazy schemes such as FTRL can compute weights
 * only for the coordinates an event touches.
 *
 * Cost per call is O(x.nnz); nothing is allocated.
 */
export interface LinearOptimizer {
  /** Number of weight slots (2^bits for hashed input, d for dense input). */
  readonly dim: number;
  /** Number of `step` calls applied so far (the model version). */
  readonly updates: number;
  /** The score z = w·x + b. Indices must be in [0, dim). */
  score(x: SparseVector): number;
  /**
   * One update for an event with ∂loss/∂z = g: coordinate i receives gradient g·x_i (plus the
   * regulariser's term), the bias receives g and is never regularised.
   */
  step(x: SparseVector, g: number): void;
  /** Multiplies the learning rate of the following steps by `factor` (1 = the configured rate). */
  setRateMultiplier(factor: number): void;
  /** Restarts the learning-rate schedule (t = 0) without touching the weights. */
  resetSchedule(): void;
  /** The effective bias b. */
  bias(): number;
  /** The effective weight of coordinate i (computed on demand for lazy schemes). */
  weight(i: number): number;
  /** Learned state, plain numbers and typed arrays; round-trips exactly through `fromState`. */
  toState(): NamedState;
  /** Replaces the learned state by `state` (which must come from `toState` of the same settings). */
  fromState(state: NamedState): void;
}
