import { KernelError } from '../errors.js';
import { sigmoid } from '../math/sigmoid.js';
import type { NamedState } from '../state.js';
import type { Calibrator } from './base.js';

/**
 * The calibrator that does nothing: p = σ(z). Used when calibration is off, so the pipeline has one
 * code path.
 *
 * @example
 * new IdentityCalibrator().predict(0); // 0.5
 */
export class IdentityCalibrator implements Calibrator {
  /** σ(z). */
  predict(z: number): number {
    return sigmoid(z);
  }

  /** Learns nothing. */
  learnOne(_z: number, _y: number): void {}

  /** No state. */
  /** Nothing to average: σ(z) has no parameters. */
  mix(_self: number, _others: readonly NamedState[], _weights: readonly number[]): void {}

  toState(): NamedState {
    return { kind: 'identity' };
  }

  /** Accepts only an identity state. */
  fromState(state: NamedState): void {
    if (state['kind'] !== 'identity') {
      throw new KernelError(`state of kind '${String(state['kind'])}' is not an identity calibrator state`);
    }
  }
}
