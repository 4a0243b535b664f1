/**
 * A synthetic labelled stream: each call draws the next example's features into a caller-owned
 * buffer (no allocation) and returns its label (0 or 1, after the generator's own label noise).
 *
 * @example
 * const g: StreamGenerator = new SeaGenerator({ seed: 1 });
 * const x = new Float64Array(g.dim);
 * const y = g.nextInto(x);
 */
export interface StreamGenerator {
  /** Number of features written by `nextInto`. */
  readonly dim: number;
  /** One name per feature (used for named-feature events), length `dim`. */
  readonly featureNames: readonly string[];
  /** Writes the next example's features into `x[0..dim)` and returns its label, 0 or 1. */
  nextInto(x: Float64Array): number;
}
