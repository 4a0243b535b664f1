/** Percentiles of a sample of latencies (nearest-rank), in the sample's unit. */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/**
 * Summarises the first `n` values of `values` (not modified): mean and nearest-rank percentiles
 * (the q-quantile is the ⌈q·n⌉-th smallest value), max. All NaN when n = 0.
 *
 * @param values - latencies (e.g. ms)
 * @param n - how many of them are filled in
 * @example
 * summarizeLatencies(Float64Array.from([3, 1, 2]), 3) // { count: 3, mean: 2, p50: 2, …, max: 3 }
 */
export function summarizeLatencies(values: Float64Array, n: number): LatencySummary {
  if (n === 0) return { count: 0, mean: NaN, p50: NaN, p90: NaN, p99: NaN, p999: NaN, max: NaN };
  const s = values.slice(0, n).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += s[i];
  const rank = (q: number): number => s[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))];
  return { count: n, mean: sum / n, p50: rank(0.5), p90: rank(0.9), p99: rank(0.99), p999: rank(0.999), max: s[n - 1] };
}
