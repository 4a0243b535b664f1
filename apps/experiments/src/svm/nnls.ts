/**
 * Non-negative least squares, min ‖E u − f‖ subject to u ≥ 0, by the active-set algorithm of Lawson
 * and Hanson (1974, chapter 23). E is m × n, column-major access through `col(j)`; meant for small m
 * (the subproblems are solved by normal equations with Gaussian elimination).
 *
 * Paper: C. L. Lawson, R. J. Hanson, "Solving Least Squares Problems", Prentice-Hall 1974, ch. 23.
 *
 * @param E the matrix, row-major m × n
 * @param m rows
 * @param n columns
 * @param f the target (length m)
 * @param maxIterations outer iterations (default 3n)
 * @returns u ≥ 0 (length n) and the number of outer iterations
 * @example
 * nnls(Float64Array.from([1, 0, 0, 1]), 2, 2, Float64Array.from([1, -1])).u; // Float64Array [1, 0]
 */
export function nnls(E: Float64Array, m: number, n: number, f: Float64Array, maxIterations = 3 * n): { u: Float64Array; iterations: number } {
  const u = new Float64Array(n);
  const inP = new Uint8Array(n);
  const r = new Float64Array(m);
  let scale = 0;
  for (let k = 0; k < E.length; k++) scale = Math.max(scale, Math.abs(E[k]));
  const tol = 1e-12 * Math.max(1, scale) * Math.max(1, n);
  let it = 0;
  for (; it < maxIterations; it++) {
    // r = f − E u, gradient g = Eᵀ r
    for (let i = 0; i < m; i++) {
      let s = f[i];
      for (let j = 0; j < n; j++) s -= E[i * n + j] * u[j];
      r[i] = s;
    }
    let best = -1;
    let bestG = tol;
    for (let j = 0; j < n; j++) {
      if (inP[j] === 1) continue;
      let g = 0;
      for (let i = 0; i < m; i++) g += E[i * n + j] * r[i];
      if (g > bestG) {
        bestG = g;
        best = j;
      }
    }
    if (best < 0) break;
    inP[best] = 1;
    for (;;) {
      const P: number[] = [];
      for (let j = 0; j < n; j++) if (inP[j] === 1) P.push(j);
      const z = leastSquares(E, m, n, f, P);
      let allPositive = z !== null;
      if (z !== null) for (let a = 0; a < P.length; a++) if (!(z[a] > 0)) allPositive = false;
      if (z !== null && allPositive) {
        u.fill(0);
        for (let a = 0; a < P.length; a++) u[P[a]] = z[a];
        break;
      }
      if (z === null) {
        // Dependent columns: drop the newest and stop growing along it.
        inP[best] = 0;
        break;
      }
      let step = Infinity;
      for (let a = 0; a < P.length; a++) {
        if (z[a] <= 0) {
          const q = P[a];
          const s = u[q] / (u[q] - z[a]);
          if (s < step) step = s;
        }
      }
      for (let a = 0; a < P.length; a++) {
        const q = P[a];
        u[q] += step * (z[a] - u[q]);
        if (u[q] <= tol) {
          u[q] = 0;
          inP[q] = 0;
        }
      }
    }
  }
  return { u, iterations: it };
}

/** Unconstrained least squares on the columns P: (E_Pᵀ E_P) z = E_Pᵀ f; null if singular. */
function leastSquares(E: Float64Array, m: number, n: number, f: Float64Array, P: number[]): Float64Array | null {
  const k = P.length;
  const c = k + 1;
  const A = new Float64Array(k * c);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += E[i * n + P[a]] * E[i * n + P[b]];
      A[a * c + b] = s;
    }
    let s = 0;
    for (let i = 0; i < m; i++) s += E[i * n + P[a]] * f[i];
    A[a * c + k] = s;
  }
  let diag = 0;
  for (let a = 0; a < k; a++) diag = Math.max(diag, A[a * c + a]);
  for (let col = 0; col < k; col++) {
    let piv = col;
    for (let rr = col + 1; rr < k; rr++) if (Math.abs(A[rr * c + col]) > Math.abs(A[piv * c + col])) piv = rr;
    if (Math.abs(A[piv * c + col]) < 1e-13 * Math.max(1, diag)) return null;
    if (piv !== col) {
      for (let j = 0; j < c; j++) {
        const t = A[col * c + j];
        A[col * c + j] = A[piv * c + j];
        A[piv * c + j] = t;
      }
    }
    for (let rr = 0; rr < k; rr++) {
      if (rr === col) continue;
      const fct = A[rr * c + col] / A[col * c + col];
      if (fct === 0) continue;
      for (let j = col; j < c; j++) A[rr * c + j] -= fct * A[col * c + j];
    }
  }
  const z = new Float64Array(k);
  for (let a = 0; a < k; a++) z[a] = A[a * c + k] / A[a * c + a];
  return z;
}
