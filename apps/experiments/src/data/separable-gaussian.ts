import { Rng } from '@logit-stream/kernel';
import type { Dataset } from './dataset.js';

/**
 * A linearly separable set through the origin: x ~ N(0, I_d), a random unit normal u, label
 * 1[u·x > 0], keeping only points with |u·x| ≥ gap (rejection), so the set has margin ≥ gap.
 *
 * @param n rows
 * @param d dimension
 * @param gap the minimum distance to the hyperplane u·x = 0
 * @param seed seed
 * @example
 * separableGaussian(100, 5, 0.1, 1).rows; // 100
 */
export function separableGaussian(n: number, d: number, gap: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const u = new Float64Array(d);
  let s = 0;
  for (let j = 0; j < d; j++) {
    u[j] = rng.gaussian();
    s += u[j] * u[j];
  }
  for (let j = 0; j < d; j++) u[j] /= Math.sqrt(s);
  const X = new Float64Array(n * d);
  const y = new Float64Array(n);
  const row = new Float64Array(d);
  for (let i = 0; i < n; ) {
    let m = 0;
    for (let j = 0; j < d; j++) {
      row[j] = rng.gaussian();
      m += row[j] * u[j];
    }
    if (Math.abs(m) < gap) continue;
    X.set(row, i * d);
    y[i] = m > 0 ? 1 : 0;
    i++;
  }
  return { name: `separable-gaussian-${n}x${d}`, dim: d, rows: n, X, y };
}
