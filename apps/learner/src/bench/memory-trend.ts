/**
 * The trend of a memory series sampled at even steps (e.g. RSS at every million events): the
 * least-squares line through the samples, as MiB per step and as the percentage change it predicts
 * from the first step to the last, relative to the series' mean. Unlike the two end points, whose
 * garbage-collection sawtooth alone can move RSS by ±7 % between neighbouring samples, the fitted line
 * shows whether memory grows.
 *
 * @param values - the samples in order (null = a missing sample, left out)
 * @returns null with fewer than 3 samples
 * @example
 * memoryTrend([200, 210, 200, 210]).percentOverRun // 2.93: 100 × (slope 2 MiB/step × 3 steps) / mean 205 MiB
 */
export function memoryTrend(values: readonly (number | null)[]): { readonly slopePerStep: number; readonly percentOverRun: number; readonly samples: number } | null {
  const xs: number[] = [];
  const ys: number[] = [];
  values.forEach((v, i) => {
    if (v !== null && Number.isFinite(v)) {
      xs.push(i);
      ys.push(v);
    }
  });
  const n = xs.length;
  if (n < 3) return null;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < n; k++) {
    sxy += (xs[k] - mx) * (ys[k] - my);
    sxx += (xs[k] - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { slopePerStep: slope, percentOverRun: (100 * slope * (xs[n - 1] - xs[0])) / my, samples: n };
}
