import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { poolAdjacentViolators } from './pool-adjacent-violators.js';

/**
 * Brute-force isotonic least squares: pool equal x, enumerate every partition of the distinct x into
 * consecutive blocks, give each block its weighted mean, keep the non-decreasing ones, return the
 * fitted value per input point of the one with the least weighted squared error.
 */
function bruteForce(x: number[], y: number[], w: number[]): number[] {
  const ux: number[] = [];
  const gw: number[] = [];
  const gwy: number[] = [];
  const groupOf: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (ux.length === 0 || ux[ux.length - 1] !== x[i]) {
      ux.push(x[i]);
      gw.push(0);
      gwy.push(0);
    }
    gw[gw.length - 1] += w[i];
    gwy[gwy.length - 1] += w[i] * y[i];
    groupOf.push(ux.length - 1);
  }
  const u = ux.length;
  let best: number[] | null = null;
  let bestErr = Infinity;
  for (let mask = 0; mask < 1 << (u - 1); mask++) {
    const vals = new Array<number>(u);
    let start = 0;
    let prev = -Infinity;
    let ok = true;
    for (let g = 0; g < u; g++) {
      const cut = g === u - 1 || (mask & (1 << g)) !== 0;
      if (!cut) continue;
      let sw = 0;
      let swy = 0;
      for (let h = start; h <= g; h++) {
        sw += gw[h];
        swy += gwy[h];
      }
      const v = swy / sw;
      if (v < prev - 1e-12) ok = false;
      prev = v;
      for (let h = start; h <= g; h++) vals[h] = v;
      start = g + 1;
    }
    if (!ok) continue;
    let err = 0;
    for (let i = 0; i < x.length; i++) err += w[i] * (y[i] - vals[groupOf[i]]) ** 2;
    if (err < bestErr - 1e-15) {
      bestErr = err;
      best = vals;
    }
  }
  return groupOf.map((g) => (best as number[])[g]);
}

describe('poolAdjacentViolators', () => {
  it('equals the brute-force isotonic least-squares fit on 400 random small inputs (n ≤ 9, ties, weights; 1e-12)', () => {
    const rng = new Rng(31);
    for (let trial = 0; trial < 400; trial++) {
      const n = 1 + rng.nextInt(9);
      const x = Array.from({ length: n }, () => rng.nextInt(6)).sort((a, b) => a - b);
      const y = Array.from({ length: n }, () => (trial % 2 === 0 ? rng.nextInt(2) : rng.next()));
      const w = Array.from({ length: n }, () => (trial % 3 === 0 ? 1 : 0.1 + rng.next()));
      const bx = new Float64Array(n);
      const by = new Float64Array(n);
      const bw = new Float64Array(n);
      const end = new Int32Array(n);
      const m = poolAdjacentViolators(
        Float64Array.from(x),
        Float64Array.from(y),
        Float64Array.from(w),
        n,
        bx,
        by,
        bw,
        end,
      );
      const fitted: number[] = [];
      let i = 0;
      for (let b = 0; b < m; b++) {
        for (; i < end[b]; i++) fitted.push(by[b]);
        if (b > 0) expect(by[b]).toBeGreaterThan(by[b - 1]);
      }
      expect(i).toBe(n);
      const want = bruteForce(x, y, w);
      for (let k = 0; k < n; k++) expect(fitted[k]).toBeCloseTo(want[k], 12);
      // block weights and centres are the weighted totals / means of their points
      let s = 0;
      for (let b = 0; b < m; b++) {
        let sw = 0;
        let swx = 0;
        for (let k = s; k < end[b]; k++) {
          sw += w[k];
          swx += w[k] * x[k];
        }
        expect(bw[b]).toBeCloseTo(sw, 12);
        expect(bx[b]).toBeCloseTo(swx / sw, 12);
        s = end[b];
      }
    }
  });

  it('doc example: y = 1, 0, 1 gives blocks (1.5, 0.5) and (3, 1)', () => {
    const bx = new Float64Array(3);
    const by = new Float64Array(3);
    const bw = new Float64Array(3);
    const m = poolAdjacentViolators(new Float64Array([1, 2, 3]), new Float64Array([1, 0, 1]), new Float64Array([1, 1, 1]), 3, bx, by, bw);
    expect(m).toBe(2);
    expect([bx[0], by[0], bw[0], bx[1], by[1], bw[1]]).toEqual([1.5, 0.5, 2, 3, 1, 1]);
  });
});
