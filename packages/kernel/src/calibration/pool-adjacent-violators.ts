/**
 * Weighted isotonic (non-decreasing) least-squares regression by pool adjacent violators, on points
 * already sorted by x. Points with equal x are pooled first (so the fit is a function of x), then
 * adjacent blocks whose means decrease are merged until the block means are non-decreasing. Writes
 * each block's weighted mean x (its centre), weighted mean y (the fitted value) and total weight, and
 * optionally the exclusive end index of each block in the input; returns the number of blocks.
 * O(n), allocation-free (the outputs double as the merge stack).
 *
 * Paper: M. Ayer et al., "An empirical distribution function for sampling with incomplete
 * information", Ann. Math. Statist. 1955; R. E. Barlow et al., "Statistical inference under order
 * restrictions", 1972.
 *
 * @param x - abscissae, sorted ascending
 * @param y - responses
 * @param w - positive weights
 * @param n - number of points to use
 * @param outX - block centres (length ≥ n)
 * @param outY - block values (length ≥ n), non-decreasing on return
 * @param outW - block weights (length ≥ n)
 * @param outEnd - optional: block end indices (exclusive) into the input
 * @returns the number of blocks
 * @example
 * const x = new Float64Array([1, 2, 3]), y = new Float64Array([1, 0, 1]), w = new Float64Array([1, 1, 1]);
 * const bx = new Float64Array(3), by = new Float64Array(3), bw = new Float64Array(3);
 * poolAdjacentViolators(x, y, w, 3, bx, by, bw); // 2 blocks: y = 0.5 at x = 1.5, y = 1 at x = 3
 */
export function poolAdjacentViolators(
  x: Float64Array,
  y: Float64Array,
  w: Float64Array,
  n: number,
  outX: Float64Array,
  outY: Float64Array,
  outW: Float64Array,
  outEnd?: Int32Array,
): number {
  let m = 0; // blocks on the stack
  let i = 0;
  while (i < n) {
    // pool a run of equal x into one block
    const xi = x[i];
    let sw = 0;
    let swy = 0;
    let swx = 0;
    while (i < n && x[i] === xi) {
      sw += w[i];
      swy += w[i] * y[i];
      swx += w[i] * x[i];
      i++;
    }
    let bw = sw;
    let by = swy / sw;
    let bx = swx / sw;
    // merge while the previous block's value is above this one's
    while (m > 0 && outY[m - 1] >= by) {
      const pw = outW[m - 1];
      const tw = pw + bw;
      by = (outY[m - 1] * pw + by * bw) / tw;
      bx = (outX[m - 1] * pw + bx * bw) / tw;
      bw = tw;
      m--;
    }
    outX[m] = bx;
    outY[m] = by;
    outW[m] = bw;
    if (outEnd !== undefined) outEnd[m] = i;
    m++;
  }
  return m;
}
