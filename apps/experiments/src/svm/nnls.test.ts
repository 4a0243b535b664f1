import { describe, expect, it } from 'vitest';
import { Rng } from '@logit-stream/kernel';
import { nnls } from './nnls.js';

/** Brute force for tiny n: the best unconstrained LS over every subset of columns, kept if ≥ 0. */
function bruteForce(E: Float64Array, m: number, n: number, f: Float64Array): number {
  let best = Infinity;
  for (let mask = 0; mask < 1 << n; mask++) {
    const P: number[] = [];
    for (let j = 0; j < n; j++) if (mask & (1 << j)) P.push(j);
    const u = new Float64Array(n);
    if (P.length > 0) {
      // normal equations by Gauss–Jordan
      const k = P.length;
      const A = P.map((a) => [...P.map((b) => { let s = 0; for (let i = 0; i < m; i++) s += E[i * n + a] * E[i * n + b]; return s; }), (() => { let s = 0; for (let i = 0; i < m; i++) s += E[i * n + a] * f[i]; return s; })()]);
      let ok = true;
      for (let c = 0; c < k && ok; c++) {
        let p = c;
        for (let r = c + 1; r < k; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
        if (Math.abs(A[p][c]) < 1e-12) ok = false;
        else {
          [A[c], A[p]] = [A[p], A[c]];
          for (let r = 0; r < k; r++) if (r !== c) { const q = A[r][c] / A[c][c]; for (let j = c; j <= k; j++) A[r][j] -= q * A[c][j]; }
        }
      }
      if (!ok) continue;
      for (let a = 0; a < k; a++) u[P[a]] = A[a][k] / A[a][a];
      if (P.some((_, a) => u[P[a]] < 0)) continue;
    }
    let res = 0;
    for (let i = 0; i < m; i++) { let s = -f[i]; for (let j = 0; j < n; j++) s += E[i * n + j] * u[j]; res += s * s; }
    best = Math.min(best, res);
  }
  return best;
}

describe('nnls', () => {
  it('matches a brute-force search over active sets on random 4 × 6 problems (residual within 1e-10)', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 20; trial++) {
      const m = 4;
      const n = 6;
      const E = Float64Array.from({ length: m * n }, () => rng.gaussian());
      const f = Float64Array.from({ length: m }, () => rng.gaussian());
      const { u } = nnls(E, m, n, f);
      for (const v of u) expect(v).toBeGreaterThanOrEqual(0);
      let res = 0;
      for (let i = 0; i < m; i++) { let s = -f[i]; for (let j = 0; j < n; j++) s += E[i * n + j] * u[j]; res += s * s; }
      expect(res).toBeLessThan(bruteForce(E, m, n, f) + 1e-10);
    }
  });
});
