import type { Loss } from './base.js';

/**
 * The hinge loss of a linear SVM on the score z. A hard label y ∈ {0, 1} maps to t = 2y − 1 ∈ {−1, +1}
 * and L = max(0, 1 − t·z), with subgradient −t where t·z < 1 and 0 elsewhere. A soft label y ∈ [0, 1]
 * mixes the two hard losses: y·L(z, +1) + (1 − y)·L(z, −1) (and likewise the subgradients).
 * The score of a hinge model is not a probability; it only gets one through a calibrator.
 *
 * @example
 * const loss = new HingeLoss();
 * loss.loss(0.5, 1);      // 0.5
 * loss.gradient(0.5, 1);  // -1
 * loss.gradient(2, 1);    // 0
 */
export class HingeLoss implements Loss {
  /**
   * @param z - the score w·x + b
   * @param y - the label in [0, 1]
   * @returns y·max(0, 1 − z) + (1 − y)·max(0, 1 + z)
   */
  loss(z: number, y: number): number {
    const pos = 1 - z > 0 ? 1 - z : 0;
    const neg = 1 + z > 0 ? 1 + z : 0;
    if (y === 1) return pos;
    if (y === 0) return neg;
    return y * pos + (1 - y) * neg;
  }

  /**
   * @param z - the score w·x + b
   * @param y - the label in [0, 1]
   * @returns the subgradient −y·[z < 1] + (1 − y)·[z > −1]
   */
  gradient(z: number, y: number): number {
    const pos = z < 1 ? -1 : 0;
    const neg = z > -1 ? 1 : 0;
    if (y === 1) return pos;
    if (y === 0) return neg;
    return y * pos + (1 - y) * neg;
  }
}
