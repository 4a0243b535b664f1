import type { NamedState } from '../state.js';

/**
 * Maps a raw score z to a calibrated probability. Used prequentially: `predict(z)` for an event comes
 * before `learnOne(z, y)` on that event, never after.
 */
export interface Calibrator {
  predict(z: number): number;
  learnOne(z: number, y: number): void;
  toState(): NamedState;
  /**
   * Model averaging (scale-out): moves this calibrator towards the weighted average of itself (weight
   * `self`) and `others` (states from `toState` of calibrators of the same kind). A calibrator whose
   * state cannot be averaged meaningfully keeps its own (documented per class).
   */
  mix(self: number, others: readonly NamedState[], weights: readonly number[]): void;
  fromState(state: NamedState): void;
}
