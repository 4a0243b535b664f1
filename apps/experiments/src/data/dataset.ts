/**
 * A dense binary-classification data set in memory: rows of X (row-major n × dim), labels in [0, 1].
 *
 * @example
 * const ds: Dataset = { name: 'toy', dim: 1, rows: 2, X: Float64Array.from([0, 1]), y: Float64Array.from([0, 1]) };
 */
export interface Dataset {
  readonly name: string;
  readonly dim: number;
  readonly rows: number;
  readonly X: Float64Array;
  /** Labels: 0/1, or soft labels in [0, 1]. */
  readonly y: Float64Array;
  /** The true P(y = 1 | x) when the data are generated from a known model (else absent). */
  readonly pTrue?: Float64Array;
}
