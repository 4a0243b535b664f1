import { sigmoid, softplus } from '../math/sigmoid.js';
import type { Loss } from './base.js';

/**
 * The logistic loss (binary cross-entropy) on the score z for a hard or soft label y ∈ [0, 1]:
 * L(z, y) = softplus(z) − y·z = −[y ln σ(z) + (1−y) ln(1−σ(z))], computed from z with a stable softplus,
 * never from a clipped probability. Its gradient is ∂L/∂z = σ(z) − y. The minimum over z is the Shannon
 * entropy H(y), reached at σ(z) = y.
 *
 * @example
 * const loss = new LogLoss();
 * loss.loss(0, 1);     // Math.LN2
 * loss.gradient(0, 1); // -0.5
 */
export class LogLoss implements Loss {
  /**
   * @param z - the score w·x + b
   * @param y - the label in [0, 1]
   * @returns softplus(z) − y·z (finite for every finite z)
   */
  loss(z: number, y: number): number {
    return softplus(z) - y * z;
  }

  /**
   * @param z - the score w·x + b
   * @param y - the label in [0, 1]
   * @returns σ(z) − y
   */
  gradient(z: number, y: number): number {
    return sigmoid(z) - y;
  }
}
