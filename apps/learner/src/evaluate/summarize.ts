/** Mean, sample standard deviation (n − 1 in the denominator; 0 for a single value), count, min and max. */
export interface Summary {
  readonly mean: number;
  readonly sd: number;
  readonly n: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Summarises repeated measurements (one per seed). Non-finite values are counted in `n` and make the
 * mean NaN, so a diverged run is visible in the table rather than silently dropped.
 *
 * @param values - the measurements
 * @example
 * summarize([1, 2, 3]) // { mean: 2, sd: 1, n: 3, min: 1, max: 3 }
 */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN, n: 0, min: NaN, max: NaN };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  return { mean, sd, n, min, max };
}
