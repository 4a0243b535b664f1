/**
 * Label smoothing: the training target y' = y(1 − ε) + ε/2, which pulls hard labels away from 0 and 1.
 *
 * @param y - the label in [0, 1]
 * @param epsilon - the smoothing ε in [0, 1] (0 leaves y unchanged)
 * @returns y(1 − ε) + ε/2
 * @example
 * smoothLabel(1, 0.1); // 0.95
 * smoothLabel(0, 0.1); // 0.05
 */
export function smoothLabel(y: number, epsilon: number): number {
  return y * (1 - epsilon) + epsilon / 2;
}
