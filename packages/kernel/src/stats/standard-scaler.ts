import { KernelError } from '../errors.js';
import type { SparseVector } from '../features/sparse-vector.js';
import type { NamedState } from '../state.js';
import { mixFractions } from '../optim/options.js';

/** Settings of {@link StandardScaler}. */
export interface StandardScalerOptions {
  /** Number of coordinates. */
  readonly dim: number;
  /** A coordinate whose running standard deviation is below this is divided by 1 instead (default 1e-12). */
  readonly minStd?: number;
}

/**
 * Online standardisation of dense coordinates: per coordinate a running mean and population variance
 * (Welford), and `transformInPlace` maps x_i to (x_i − mean_i) / std_i. A coordinate whose std is below
 * `minStd` (a constant column, or one seen fewer than twice) maps to 0, as a constant column does in
 * scikit-learn's StandardScaler. Counts are kept per coordinate, so an event that omits a
 * coordinate does not count as a 0 for it. O(nnz) per call, no allocation.
 *
 * Use it prequentially: `transformInPlace` with the statistics so far, then `learnOne` with the raw
 * values (or `learnOne` first, as the learner chooses; state which).
 *
 * @example
 * const s = new StandardScaler({ dim: 1 });
 * const x = new SparseVector(1);
 * for (const v of [1, 3]) { x.clear(); x.push(0, v); s.learnOne(x); }
 * x.clear(); x.push(0, 4);
 * s.transformInPlace(x);
 * x.val[0]; // (4 − 2) / 1 = 2
 */
export class StandardScaler {
  readonly dim: number;
  readonly minStd: number;
  private readonly n: Float64Array;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(o: StandardScalerOptions) {
    if (!Number.isInteger(o.dim) || o.dim < 1 || o.dim > 2 ** 30) {
      throw new KernelError(`StandardScaler dim = ${o.dim} must be an integer in [1, 2^30] (the number of dense features)`);
    }
    const minStd = o.minStd ?? 1e-12;
    if (!(Number.isFinite(minStd) && minStd >= 0)) {
      throw new KernelError(`StandardScaler minStd = ${minStd} must be a finite number ≥ 0`);
    }
    this.dim = o.dim;
    this.minStd = minStd;
    this.n = new Float64Array(o.dim);
    this.mean = new Float64Array(o.dim);
    this.m2 = new Float64Array(o.dim);
  }

  /** Adds the raw values of `x` to the running statistics of their coordinates. */
  learnOne(x: SparseVector): void {
    const cnt = this.n;
    const mean = this.mean;
    const m2 = this.m2;
    const val = x.val;
    const nnz = x.nnz;
    if (x.isDense && nnz <= cnt.length) {
      // Dense order (idx[k] = k): the loop below with i = k, the same arithmetic.
      for (let k = 0; k < nnz; k++) {
        const v = val[k];
        const n = cnt[k] + 1;
        const d = v - mean[k];
        cnt[k] = n;
        const m = mean[k] + d / n;
        mean[k] = m;
        m2[k] += d * (v - m);
      }
      return;
    }
    const idx = x.idx;
    for (let k = 0; k < nnz; k++) {
      const i = idx[k];
      const v = val[k];
      const n = cnt[i] + 1;
      const d = v - mean[i];
      cnt[i] = n;
      const m = mean[i] + d / n;
      mean[i] = m;
      m2[i] += d * (v - m);
    }
  }

  /** Replaces each value of `x` by (x_i − mean_i) / std_i (std_i < minStd counts as 1). */
  transformInPlace(x: SparseVector): void {
    const cnt = this.n;
    const mean = this.mean;
    const m2 = this.m2;
    const floor = this.minStd;
    const val = x.val;
    const nnz = x.nnz;
    // A coordinate without spread so far (constant, or seen once) carries no information yet: 0.
    if (x.isDense && nnz <= cnt.length) {
      for (let k = 0; k < nnz; k++) {
        const n = cnt[k]; // dense order: idx[k] = k
        const sd = n > 0 ? Math.sqrt(m2[k] / n) : 0;
        val[k] = sd < floor || sd === 0 ? 0 : (val[k] - mean[k]) / sd;
      }
      return;
    }
    const idx = x.idx;
    for (let k = 0; k < nnz; k++) {
      const i = idx[k];
      const n = cnt[i];
      const sd = n > 0 ? Math.sqrt(m2[i] / n) : 0;
      val[k] = sd < floor || sd === 0 ? 0 : (val[k] - mean[i]) / sd;
    }
  }

  /** Running mean of coordinate i. */
  meanOf(i: number): number {
    return this.mean[i];
  }

  /** Running population variance of coordinate i (0 before any value). */
  varianceOf(i: number): number {
    const n = this.n[i];
    return n > 0 ? this.m2[i] / n : 0;
  }

  /** Number of values seen for coordinate i. */
  countOf(i: number): number {
    return this.n[i];
  }

  /** The learned state: per-coordinate counts, means and M2 sums. */
  /**
   * Model averaging (scale-out): per coordinate, the mixture of the scalers' distributions with the
   * given weights (among those that saw the coordinate): mean = Σ f_k mean_k, variance =
   * Σ f_k (var_k + (mean_k − mean)²), count = Σ f_k count_k.
   *
   * @throws KernelError when a state does not come from a scaler of this dim, or the weights do not fit
   */
  mix(self: number, others: readonly NamedState[], weights: readonly number[]): void {
    const f = mixFractions('StandardScaler', self, others, weights);
    const peers: { n: Float64Array; mean: Float64Array; m2: Float64Array }[] = [];
    for (const st of others) {
      const { count, mean, m2 } = st;
      const ok = (v: unknown): v is Float64Array => v instanceof Float64Array && v.length === this.dim;
      if (st.kind !== 'standard-scaler' || !ok(count) || !ok(mean) || !ok(m2)) {
        throw new KernelError(`StandardScaler.mix needs states of scalers with dim ${this.dim}; pass StandardScaler.toState() output`);
      }
      peers.push({ n: count, mean, m2 });
    }
    for (let i = 0; i < this.dim; i++) {
      let fs = 0;
      let mu = 0;
      let cnt = 0;
      if (this.n[i] > 0) {
        fs += f[0];
        mu += f[0] * this.mean[i];
        cnt += f[0] * this.n[i];
      }
      for (let k = 0; k < peers.length; k++) {
        if (peers[k].n[i] > 0) {
          fs += f[k + 1];
          mu += f[k + 1] * peers[k].mean[i];
          cnt += f[k + 1] * peers[k].n[i];
        }
      }
      if (fs === 0) continue;
      mu /= fs;
      cnt /= fs;
      let v = 0;
      if (this.n[i] > 0) v += f[0] * (this.m2[i] / this.n[i] + (this.mean[i] - mu) ** 2);
      for (let k = 0; k < peers.length; k++) {
        const p = peers[k];
        if (p.n[i] > 0) v += f[k + 1] * (p.m2[i] / p.n[i] + (p.mean[i] - mu) ** 2);
      }
      this.n[i] = cnt;
      this.mean[i] = mu;
      this.m2[i] = (v / fs) * cnt;
    }
  }

  toState(): NamedState {
    return { kind: 'standard-scaler', count: this.n.slice(), mean: this.mean.slice(), m2: this.m2.slice() };
  }

  /** Restores a state from {@link StandardScaler.toState} of a scaler with the same dim. */
  fromState(state: NamedState): void {
    const { count, mean, m2 } = state;
    const ok = (v: unknown): v is Float64Array => v instanceof Float64Array && v.length === this.dim;
    if (state.kind !== 'standard-scaler' || !ok(count) || !ok(mean) || !ok(m2)) {
      throw new KernelError(
        `StandardScaler.fromState needs { kind: "standard-scaler", count, mean, m2 } Float64Arrays of length ${this.dim}; ` +
          'pass a state produced by StandardScaler.toState() with the same dim',
      );
    }
    this.n.set(count);
    this.mean.set(mean);
    this.m2.set(m2);
  }
}
