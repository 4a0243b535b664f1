/**
 * A pre-allocated sparse feature vector: `nnz` (index, value) pairs in `idx` and `val`.
 * One instance is reused for every event on the hot path; `clear()` empties it without allocating.
 *
 * The vector knows in O(1) whether it is in dense order ({@link SparseVector.isDense}: its indices are
 * exactly 0, 1, …, nnz − 1 in this order), so that the optimisers can read `w[k]` instead of `w[idx[k]]`.
 * To keep that exact, indices and the count change only through the methods (`clear`, `push`, `copyFrom`,
 * `fillDense`): `nnz` has no setter and `idx` is typed read-only. Values may be written in place
 * (`x.val[k] = …`, as the standard scaler does), since they do not move any index. Writing `idx` through
 * a cast, or with `idx.set`/`idx.fill`, bypasses the bookkeeping and is not supported.
 *
 * @example
 * const x = new SparseVector(4);
 * x.push(3, 0.5);
 * x.nnz     // 1
 * x.isDense // false (index 3 at position 0)
 */
export class SparseVector {
  /** The indices of the pairs, positions 0..nnz−1 (read-only: use the methods to change them). */
  readonly idx: Readonly<Int32Array>;
  /** The values of the pairs, positions 0..nnz−1 (may be written in place). */
  readonly val: Float64Array;
  /** The same array as `idx`, writable for the methods. */
  private readonly ix: Int32Array;
  private n = 0;
  private inOrder = true;

  /**
   * @param capacity - the most pairs the vector holds (the callers guarantee never to push more)
   */
  constructor(readonly capacity: number) {
    this.ix = new Int32Array(capacity);
    this.idx = this.ix;
    this.val = new Float64Array(capacity);
  }

  /** Number of pairs. */
  get nnz(): number {
    return this.n;
  }

  /**
   * Whether the pairs are exactly indices 0, 1, …, nnz − 1 in this order (true for an empty vector): then
   * `val[k]` is the value of coordinate k. O(1), kept by every method that changes an index.
   *
   * @example
   * const x = new SparseVector(3);
   * x.push(0, 2); x.push(1, 5);
   * x.isDense // true
   * x.push(7, 1);
   * x.isDense // false
   */
  get isDense(): boolean {
    return this.inOrder;
  }

  /**
   * Empties the vector (O(1)). The arrays keep their contents (only the count goes to 0), so an in-place
   * compaction may `clear()` and then `push` pairs read from positions at or behind the write position.
   */
  clear(): void {
    this.n = 0;
    this.inOrder = true;
  }

  /** Appends one (index, value) pair; the caller guarantees `nnz < capacity`. One compare keeps `isDense`. */
  push(index: number, value: number): void {
    const k = this.n;
    this.ix[k] = index;
    this.val[k] = value;
    this.n = k + 1;
    if (index !== k) this.inOrder = false;
  }

  /**
   * Makes this vector a copy of `src` (its pairs and its `isDense`), O(src.nnz), no allocation.
   *
   * @param src - a vector with `src.nnz ≤ this.capacity`
   * @example
   * const raw = new SparseVector(8);
   * raw.copyFrom(x); // raw.nnz === x.nnz, same pairs
   */
  copyFrom(src: SparseVector): void {
    const n = src.n;
    const si = src.ix;
    const sv = src.val;
    const ix = this.ix;
    const val = this.val;
    for (let k = 0; k < n; k++) {
      ix[k] = si[k];
      val[k] = sv[k];
    }
    this.n = n;
    this.inOrder = src.inOrder;
  }

  /**
   * Sets the pairs to (k, values[offset + k]) for k = 0..n−1: a dense row, `isDense` true. O(n), no allocation.
   *
   * @param values - the source of the values (e.g. a row-major matrix)
   * @param n - how many coordinates (≤ capacity)
   * @param offset - where the row starts in `values` (default 0)
   * @example
   * const x = new SparseVector(2);
   * x.fillDense(new Float64Array([1, 2, 3, 4]), 2, 2); // pairs (0, 3), (1, 4)
   */
  fillDense(values: ArrayLike<number>, n: number, offset = 0): void {
    const ix = this.ix;
    const val = this.val;
    for (let k = 0; k < n; k++) {
      ix[k] = k;
      val[k] = values[offset + k];
    }
    this.n = n;
    this.inOrder = true;
  }
}
