import type { SparseVector } from '../features/sparse-vector.js';
import type { NamedState } from '../state.js';

/**
 * A linear model together with the optimiser that trains it: it owns the weights (w, b) and whatever
 * per-coordinate state the update rule needs, so that lazy schemes such as FTRL can compute weights
 * only for the coordinates an event touches.
 *
 * Cost per call is O(x.nnz); nothing is allocated. A vector in dense order (`x.isDense`: indices 0..nnz−1) is
 * read as `w[k]` instead of `w[idx[k]]` when it fits the weights: the same arithmetic in the same order, so the
 * results are bit for bit those of the indexed loop.
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
  /**
   * Model averaging (parameter mixing, McDonald et al. 2010, "Distributed training strategies for the
   * structured perceptron"): replaces the weights, the bias and the per-coordinate optimiser state by
   * their weighted average over this optimiser (weight `self`) and `others` (states from `toState` of
   * optimisers with the same settings, weight `weights[k]`). The score is linear in (w, b), so
   * afterwards score(x) is the weighted average of the mixed models' scores. `updates` becomes the
   * model version (the number of events the mixed model stands for); the rate multiplier stays.
   * O(dim · (others + 1)); allocates only small scratch.
   *
   * @throws KernelError when a state is not of this kind and dim, or the weights are negative, not finite, or all 0
   */
  mix(self: number, others: readonly NamedState[], weights: readonly number[], updates: number): void;
  /**
   * Learned state, plain numbers and typed arrays; round-trips exactly through `fromState`.
   *
   * @param share - false (default): the typed arrays are copies, unaffected by later steps. true: they
   *   are the optimiser's own arrays, valid only until its next `step`, `mix` or `fromState` (no copy
   *   of O(dim) memory: for a state encoded at once, synchronously, such as a periodic snapshot).
   */
  toState(share?: boolean): NamedState;
  /** Replaces the learned state by `state` (which must come from `toState` of the same settings). */
  fromState(state: NamedState): void;
}
