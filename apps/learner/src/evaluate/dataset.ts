/** A dense binary-classification data set held in memory: row-major features and 0/1 labels. */
export interface Dataset {
  /** Short name (table rows). */
  readonly name: string;
  /** Feature column names, in CSV order (the label column excluded). */
  readonly columns: readonly string[];
  /** Number of rows. */
  readonly rows: number;
  /** Number of features per row. */
  readonly dim: number;
  /** Features, row-major: row r is `X[r·dim .. (r+1)·dim)`. */
  readonly X: Float64Array;
  /** Labels, 0 or 1. */
  readonly y: Uint8Array;
}
