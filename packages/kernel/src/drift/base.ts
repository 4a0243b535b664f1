import type { NamedState } from '../state.js';

/**
 * A change detector on a stream of numbers (per-event losses or 0/1 errors).
 * After `update(x)`, `driftDetected` tells whether this value completed a detection;
 * `warningDetected` whether the detector is in its warning zone (false for detectors without one).
 */
export interface DriftDetector {
  update(x: number): void;
  readonly driftDetected: boolean;
  readonly warningDetected: boolean;
  reset(): void;
  toState(): NamedState;
  fromState(state: NamedState): void;
}
