/**
 * A pre-allocated sparse feature vector: `nnz` (index, value) pairs in `idx` and `val`.
 * One instance is reused for every event on the hot path; `clear()` empties it without allocating.
 *
 * @example
 * const x = new SparseVector(4);
 * x.push(3, 0.5);
 * x.nnz // 1
 */
export class SparseVector {
  readonly idx: Int32Array;
  readonly val: Float64Array;
  nnz = 0;

  constructor(readonly capacity: number) {
    this.idx = new Int32Array(capacity);
    this.val = new Float64Array(capacity);
  }

  /** Empties the vector (O(1)). */
  clear(): void {
    this.nnz = 0;
  }

  /** Appends one (index, value) pair; the caller guarantees `nnz < capacity`. */
  push(index: number, value: number): void {
    const k = this.nnz;
    this.idx[k] = index;
    this.val[k] = value;
    this.nnz = k + 1;
  }
}
