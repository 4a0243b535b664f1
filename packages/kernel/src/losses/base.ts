/**
 * A loss on the score z = w·x + b for a label y ∈ [0, 1] (hard or soft).
 * Implementations are stateless or hold only settings, so one instance can serve every event.
 */
export interface Loss {
  /** The loss value for score z and label y. */
  loss(z: number, y: number): number;
  /** ∂loss/∂z for score z and label y (a subgradient where the loss has a kink). */
  gradient(z: number, y: number): number;
}
