import { ExperimentError } from '../errors.js';
import { nnls } from './nnls.js';

/** Options of {@link solveHardMarginSvm}. */
export interface HardMarginSvmOptions {
  /** Maximum sweeps of dual coordinate ascent (default 20 000). */
  readonly maxSweeps?: number;
  /** Stop when no α changes by more than this relative to max α in a sweep (default 1e-13). */
  readonly tolerance?: number;
}

/** KKT residuals of a hard-margin solution (all ≈ 0 at the optimum). */
export interface KktReport {
  /** max_i max(0, 1 − y_i w·x_i): primal feasibility. */
  readonly primal: number;
  /** max_i max(0, −α_i): dual feasibility. */
  readonly dual: number;
  /** max_i α_i |y_i w·x_i − 1| / max α: complementary slackness (relative). */
  readonly complementarity: number;
  /** ‖w − Σ α_i y_i x_i‖∞: stationarity. */
  readonly stationarity: number;
}

/** The hard-margin SVM solution through the origin. */
export interface HardMarginSvm {
  /** ŵ = argmin ‖w‖² s.t. y_i w·x_i ≥ 1 (length d). */
  readonly w: Float64Array;
  /** Dual variables α (length n), α_i > 0 only on support vectors. */
  readonly alpha: Float64Array;
  /** Indices of the support vectors (α_i > 0 after the active-set polish). */
  readonly support: number[];
  /** The geometric margin 1 / ‖ŵ‖. */
  readonly margin: number;
  /** Sweeps of coordinate ascent used. */
  readonly sweeps: number;
  /** Whether the active-set polish (an exact linear solve on the support set) was applied. */
  readonly polished: boolean;
  readonly kkt: KktReport;
}

/**
 * Solves the hard-margin SVM without bias, min ½‖w‖² s.t. y_i w·x_i ≥ 1, exactly: dual coordinate
 * ascent on max Σα − ½ Σ α_i α_j y_i y_j x_i·x_j (α ≥ 0; without a bias there is no equality
 * constraint, so each coordinate step is a closed-form clipped Newton step), then an active-set
 * polish that solves Q_SS α_S = 1 on the support set by Gaussian elimination (tried every 20 sweeps
 * and at the end), kept only if it leaves α_S > 0 and all margins ≥ 1 − 1e-9, which with
 * w = Σ α_i y_i x_i satisfies every KKT condition, so the result is exact up to rounding. If
 * coordinate ascent stalls or the polish fails (degenerate support sets), the problem is solved as
 * least-distance programming through Lawson–Hanson NNLS, which is exact and finite. The KKT residuals of the result are returned for checking.
 *
 * Paper: C.-J. Hsieh, K.-W. Chang, C.-J. Lin, S. S. Keerthi, S. Sundararajan, "A dual coordinate
 * descent method for large-scale linear SVM", ICML 2008.
 *
 * @param X rows x_i, row-major n × d
 * @param y labels, +1/−1 or 1/0 (0 is read as −1)
 * @param d the dimension
 * @param o options
 * @throws ExperimentError if coordinate ascent does not converge (data not linearly separable through the origin)
 * @example
 * const s = solveHardMarginSvm(Float64Array.from([1, 1, -1, -1]), Float64Array.from([1, -1]), 2);
 * s.w; // Float64Array [0.5, 0.5]
 */
export function solveHardMarginSvm(X: Float64Array, y: ArrayLike<number>, d: number, o: HardMarginSvmOptions = {}): HardMarginSvm {
  const n = y.length;
  if (X.length !== n * d || n === 0) {
    throw new ExperimentError(`solveHardMarginSvm: X has ${X.length} values, expected n·d = ${n}·${d} > 0`);
  }
  const maxSweeps = o.maxSweeps ?? 20_000;
  const tol = o.tolerance ?? 1e-13;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = y[i] > 0 ? 1 : -1;
  const qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[i * d + j] * X[i * d + j];
    if (!(s > 0)) throw new ExperimentError(`solveHardMarginSvm: row ${i} is the zero vector; no hyperplane through 0 separates it`);
    qii[i] = s;
  }
  const alpha = new Float64Array(n);
  const w = new Float64Array(d);
  let sweeps = 0;
  let converged = false;
  let polished = false;
  for (; sweeps < maxSweeps; sweeps++) {
    let maxChange = 0;
    let maxAlpha = 0;
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let j = 0; j < d; j++) m += w[j] * X[i * d + j];
      const next = Math.max(0, alpha[i] + (1 - t[i] * m) / qii[i]);
      const delta = next - alpha[i];
      if (delta !== 0) {
        alpha[i] = next;
        const c = delta * t[i];
        for (let j = 0; j < d; j++) w[j] += c * X[i * d + j];
      }
      const ad = Math.abs(delta);
      if (ad > maxChange) maxChange = ad;
      if (next > maxAlpha) maxAlpha = next;
    }
    if (maxChange <= tol * Math.max(1, maxAlpha)) {
      sweeps++;
      converged = true;
      break;
    }
    // Active set: every 20 sweeps, try the exact solve on the current support set.
    if (sweeps % 20 === 19 && polish(X, t, d, supportOf(alpha), alpha, w)) {
      sweeps++;
      converged = true;
      polished = true;
      break;
    }
  }
  if (!converged || !(polished = polish(X, t, d, supportOf(alpha), alpha, w))) {
    // Exact fallback: least-distance programming through NNLS (Lawson & Hanson, ch. 23).
    if (ldp(X, t, d, alpha, w)) {
      polished = true;
      converged = true;
    }
  }
  if (!converged) {
    throw new ExperimentError(
      `solveHardMarginSvm: no convergence in ${maxSweeps} sweeps and no feasible least-distance solution; the data are not linearly separable through the origin; use separable data`,
    );
  }
  if (!polished) {
    // Recompute w from α so stationarity holds exactly for the reported pair.
    w.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) w[j] += alpha[i] * t[i] * X[i * d + j];
  }
  let amax = 0;
  const finalSupport: number[] = [];
  for (let i = 0; i < n; i++) if (alpha[i] > amax) amax = alpha[i];
  for (let i = 0; i < n; i++) if (alpha[i] > 0) finalSupport.push(i);
  let wn = 0;
  for (let j = 0; j < d; j++) wn += w[j] * w[j];
  return { w, alpha, support: finalSupport, margin: 1 / Math.sqrt(wn), sweeps, polished, kkt: kktResiduals(X, t, d, w, alpha) };
}

/**
 * The hard-margin problem as least-distance programming, min ‖w‖ s.t. G w ≥ 1 with rows G_i = t_i x_i,
 * solved exactly through NNLS: u = argmin ‖[Gᵀ; 1ᵀ] u − e_{d+1}‖, u ≥ 0, r = residual, then
 * w = −r_{1..d} / r_{d+1} and α = u / (1 − Σu). Returns false when r = 0 (infeasible: not separable)
 * or the result fails the margin check.
 */
function ldp(X: Float64Array, t: Float64Array, d: number, alpha: Float64Array, w: Float64Array): boolean {
  const n = t.length;
  const m = d + 1;
  const E = new Float64Array(m * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) E[j * n + i] = t[i] * X[i * d + j];
    E[d * n + i] = 1;
  }
  const f = new Float64Array(m);
  f[d] = 1;
  const { u } = nnls(E, m, n, f);
  let su = 0;
  for (let i = 0; i < n; i++) su += u[i];
  const denom = 1 - su; // = −r_{d+1}
  if (!(denom > 1e-12)) return false;
  w.fill(0);
  for (let i = 0; i < n; i++) {
    alpha[i] = u[i] / denom;
    for (let j = 0; j < d; j++) w[j] += alpha[i] * t[i] * X[i * d + j];
  }
  for (let i = 0; i < n; i++) {
    let mm = 0;
    for (let j = 0; j < d; j++) mm += w[j] * X[i * d + j];
    if (t[i] * mm < 1 - 1e-9) return false;
  }
  return true;
}

/** Indices with α_i > 1e-9 · max α. */
function supportOf(alpha: Float64Array): number[] {
  let amax = 0;
  for (let i = 0; i < alpha.length; i++) if (alpha[i] > amax) amax = alpha[i];
  const S: number[] = [];
  for (let i = 0; i < alpha.length; i++) if (alpha[i] > 1e-9 * amax) S.push(i);
  return S;
}

/**
 * Active-set polish from the support set S0 (its d largest α): solve Q_SS α_S = 1 exactly; drop indices whose α is not
 * positive, add the most violated margin, repeat (at most 4n rounds). Keeps the result (returns true,
 * updates α and w) only when α_S > 0 and every margin is ≥ 1 − 1e-9.
 */
function polish(X: Float64Array, t: Float64Array, d: number, S0: number[], alpha: Float64Array, w: Float64Array): boolean {
  const n = t.length;
  // Generic data have at most d support vectors; start from the d largest α (the rest are decaying).
  let S = S0.slice().sort((a, b) => alpha[b] - alpha[a]).slice(0, d);
  for (let round = 0; round < 4 * n; round++) {
    const k = S.length;
    if (k === 0 || k > d) return false;
    const A = new Float64Array(k * (k + 1));
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += X[S[a] * d + j] * X[S[b] * d + j];
        A[a * (k + 1) + b] = t[S[a]] * t[S[b]] * s;
      }
      A[a * (k + 1) + k] = 1;
    }
    const sol = gaussSolve(A, k);
    if (sol === null) return false;
    const keep = S.filter((_, a) => sol[a] > 0);
    if (keep.length < k) {
      S = keep;
      continue;
    }
    const w2 = new Float64Array(d);
    for (let a = 0; a < k; a++) for (let j = 0; j < d; j++) w2[j] += sol[a] * t[S[a]] * X[S[a] * d + j];
    let worst = -1;
    let worstMargin = 1 - 1e-9;
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let j = 0; j < d; j++) m += w2[j] * X[i * d + j];
      if (t[i] * m < worstMargin) {
        worstMargin = t[i] * m;
        worst = i;
      }
    }
    if (worst >= 0) {
      // A full set (k = d, generic data) cannot grow: swap out the smallest α for the violated point.
      if (k === d) {
        let low = 0;
        for (let a = 1; a < k; a++) if (sol[a] < sol[low]) low = a;
        S = S.filter((_, a) => a !== low);
      }
      S = [...S, worst];
      continue;
    }
    alpha.fill(0);
    for (let a = 0; a < k; a++) alpha[S[a]] = sol[a];
    w.set(w2);
    return true;
  }
  return false;
}

/** Gaussian elimination with partial pivoting on the k × (k+1) augmented matrix; null if singular. */
function gaussSolve(A: Float64Array, k: number): Float64Array | null {
  const c = k + 1;
  for (let col = 0; col < k; col++) {
    let piv = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(A[r * c + col]) > Math.abs(A[piv * c + col])) piv = r;
    if (Math.abs(A[piv * c + col]) < 1e-12) return null;
    if (piv !== col) {
      for (let j = 0; j < c; j++) {
        const tmp = A[col * c + j];
        A[col * c + j] = A[piv * c + j];
        A[piv * c + j] = tmp;
      }
    }
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = A[r * c + col] / A[col * c + col];
      if (f === 0) continue;
      for (let j = col; j < c; j++) A[r * c + j] -= f * A[col * c + j];
    }
  }
  const x = new Float64Array(k);
  for (let r = 0; r < k; r++) x[r] = A[r * c + k] / A[r * c + r];
  return x;
}

/**
 * KKT residuals of a candidate (w, α) for the hard-margin problem without bias.
 *
 * @param X rows, row-major n × d
 * @param t labels ±1
 * @param d dimension
 * @param w primal solution
 * @param alpha dual solution
 * @example
 * kktResiduals(Float64Array.from([1, 1, -1, -1]), Float64Array.from([1, -1]), 2, Float64Array.from([0.5, 0.5]), Float64Array.from([0.25, 0.25])).primal; // 0
 */
export function kktResiduals(X: Float64Array, t: ArrayLike<number>, d: number, w: Float64Array, alpha: Float64Array): KktReport {
  const n = t.length;
  let primal = 0;
  let dual = 0;
  let comp = 0;
  let amax = 0;
  for (let i = 0; i < n; i++) if (alpha[i] > amax) amax = alpha[i];
  const back = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const ti = t[i] > 0 ? 1 : -1;
    let m = 0;
    for (let j = 0; j < d; j++) m += w[j] * X[i * d + j];
    const margin = ti * m;
    primal = Math.max(primal, 1 - margin);
    dual = Math.max(dual, -alpha[i]);
    comp = Math.max(comp, (alpha[i] * Math.abs(margin - 1)) / (amax || 1));
    for (let j = 0; j < d; j++) back[j] += alpha[i] * ti * X[i * d + j];
  }
  let stat = 0;
  for (let j = 0; j < d; j++) stat = Math.max(stat, Math.abs(w[j] - back[j]));
  return { primal: Math.max(0, primal), dual, complementarity: comp, stationarity: stat };
}
