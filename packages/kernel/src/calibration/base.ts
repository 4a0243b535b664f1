import type { NamedState } from '../state.js';

/**
 * Maps a raw score z to a calibrated probability. Used prequentially: `predict(z)` for an event comes
 * before `learnOne(z, y)` on that event, never after.
 */
export interface Calibrator {
  predict(z: number): number;
  learnOne(z: number, y: number): void;
  toState(): NamedState;
  fromState(state: NamedState): void;
}
