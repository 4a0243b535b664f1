import { KernelError } from '../errors.js';
import type { NamedState } from '../state.js';

/** Settings of {@link PopulationStabilityIndex}. */
export interface PopulationStabilityIndexOptions {
  /** Number of bins (default 10). */
  readonly bins?: number;
  /**
   * Lower end of a fixed range of equal-width bins. Give both `lower` and `upper`, or neither: then the
   * bin edges are the reference window's quantiles, set by {@link PopulationStabilityIndex.setReference}.
   * Values outside the range fall into the end bins.
   */
  readonly lower?: number;
  /** Upper end of the fixed range (see `lower`). */
  readonly upper?: number;
  /** Floor for a bin's proportion, so an empty bin gives a finite term (default 1e-4). */
  readonly floor?: number;
}

/**
 * The population stability index between a reference window (E) and a current window (A) of one
 * variable (a feature or the score): PSI = Σ_bins (A_i − E_i) ln(A_i / E_i) over the binned proportions,
 * each proportion floored at `floor` so that empty bins stay finite. Rule of thumb: below 0.1 stable,
 * 0.1–0.25 a moderate shift, above 0.25 a major shift.
 *
 * Bins are equal-width over a fixed [lower, upper] range, or the reference window's quantiles
 * (`setReference` with no range given: each bin then holds about 1/bins of the reference). Counts are
 * integers, so `removeCurrent` (for a sliding current window) is exact. `addReference`, `addCurrent`
 * and `removeCurrent` allocate nothing; `get` is O(bins).
 *
 * @example
 * const psi = new PopulationStabilityIndex({ bins: 10, lower: 0, upper: 1 });
 * for (let i = 0; i < 1000; i++) { psi.addReference((i % 100) / 100); psi.addCurrent((i % 100) / 100); }
 * psi.get(); // 0
 */
export class PopulationStabilityIndex {
  readonly bins: number;
  readonly floor: number;
  private readonly fixed: boolean;
  private readonly lower: number;
  private readonly upper: number;
  /** Inner bin edges (bins − 1): value v goes to the number of edges ≤ v. */
  private readonly edges: Float64Array;
  private hasEdges: boolean;
  private readonly ref: Float64Array;
  private readonly cur: Float64Array;
  private nRef = 0;
  private nCur = 0;
  private scratch = new Float64Array(0);

  /** @param options - see {@link PopulationStabilityIndexOptions}; throws {@link KernelError} on a bad range or bin count */
  constructor(options: PopulationStabilityIndexOptions = {}) {
    this.bins = options.bins ?? 10;
    this.floor = options.floor ?? 1e-4;
    if (!Number.isInteger(this.bins) || this.bins < 2) {
      throw new KernelError(`PSI bins ${this.bins} must be an integer ≥ 2 (10 is usual)`);
    }
    if (!(this.floor > 0 && this.floor < 1 / this.bins)) {
      throw new KernelError(`PSI floor ${this.floor} must be in (0, 1/bins); use e.g. 1e-4`);
    }
    const hasLower = options.lower !== undefined;
    const hasUpper = options.upper !== undefined;
    if (hasLower !== hasUpper) {
      throw new KernelError('PSI needs both lower and upper for a fixed range, or neither for quantile bins of the reference');
    }
    this.fixed = hasLower;
    this.lower = options.lower ?? 0;
    this.upper = options.upper ?? 1;
    if (this.fixed && !(Number.isFinite(this.lower) && Number.isFinite(this.upper) && this.lower < this.upper)) {
      throw new KernelError(`PSI range [${this.lower}, ${this.upper}] must be finite with lower < upper`);
    }
    this.edges = new Float64Array(this.bins - 1);
    this.ref = new Float64Array(this.bins);
    this.cur = new Float64Array(this.bins);
    this.hasEdges = this.fixed;
    if (this.fixed) {
      const w = (this.upper - this.lower) / this.bins;
      for (let i = 1; i < this.bins; i++) this.edges[i - 1] = this.lower + i * w;
    }
  }

  /** The bin index of v (0 … bins − 1). */
  binOf(v: number): number {
    if (this.fixed) {
      const b = Math.floor(((v - this.lower) / (this.upper - this.lower)) * this.bins);
      return b < 0 ? 0 : b >= this.bins ? this.bins - 1 : b;
    }
    // number of edges ≤ v
    let lo = 0;
    let hi = this.edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.edges[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Replaces the reference window by `values[0..n)`. Without a fixed range the bin edges become the
   * reference's quantiles (edge k is the value of rank ⌊k·n/bins⌋). Clears nothing of the current window.
   *
   * @param values - the reference values (not modified)
   * @param n - how many of them to use (default all)
   */
  setReference(values: Float64Array, n: number = values.length): void {
    if (!(n >= 1 && n <= values.length)) {
      throw new KernelError(`PSI reference length ${n} must be between 1 and values.length ${values.length}`);
    }
    if (!this.fixed && this.nCur > 0) {
      // the current window's counts were binned with the old edges
      throw new KernelError('PSI quantile edges would change while the current window is not empty; call clearCurrent() first');
    }
    if (!this.fixed) {
      if (this.scratch.length < n) this.scratch = new Float64Array(n);
      const s = this.scratch.subarray(0, n);
      s.set(values.subarray(0, n));
      s.sort();
      for (let k = 1; k < this.bins; k++) this.edges[k - 1] = s[Math.floor((k * n) / this.bins)];
      this.hasEdges = true;
    }
    this.ref.fill(0);
    this.nRef = 0;
    for (let i = 0; i < n; i++) this.addReference(values[i]);
  }

  private requireEdges(): void {
    throw new KernelError('PSI has no bin edges yet: give lower and upper, or call setReference(values) first');
  }

  /** Adds one value to the reference window. */
  addReference(v: number): void {
    if (!this.hasEdges) this.requireEdges();
    this.ref[this.binOf(v)] += 1;
    this.nRef++;
  }

  /** Adds one value to the current window. */
  addCurrent(v: number): void {
    if (!this.hasEdges) this.requireEdges();
    this.cur[this.binOf(v)] += 1;
    this.nCur++;
  }

  /** Removes a value previously added to the current window (for a sliding window; exact). */
  removeCurrent(v: number): void {
    this.cur[this.binOf(v)] -= 1;
    this.nCur--;
  }

  /** Empties the current window. */
  clearCurrent(): void {
    this.cur.fill(0);
    this.nCur = 0;
  }

  /** Empties both windows (quantile edges are kept until the next `setReference`). */
  reset(): void {
    this.ref.fill(0);
    this.cur.fill(0);
    this.nRef = 0;
    this.nCur = 0;
  }

  /** Values in the reference window. */
  get referenceCount(): number {
    return this.nRef;
  }

  /** Values in the current window. */
  get currentCount(): number {
    return this.nCur;
  }

  /** The PSI between the windows; 0 while either window is empty. */
  get(): number {
    if (this.nRef === 0 || this.nCur === 0) return 0;
    let psi = 0;
    for (let i = 0; i < this.bins; i++) {
      let e = this.ref[i] / this.nRef;
      let a = this.cur[i] / this.nCur;
      if (e < this.floor) e = this.floor;
      if (a < this.floor) a = this.floor;
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }

  /** Counts and edges (exact round trip through {@link PopulationStabilityIndex.fromState}). */
  toState(): NamedState {
    return {
      kind: 'psi',
      hasEdges: this.hasEdges,
      edges: this.edges.slice(),
      ref: this.ref.slice(),
      cur: this.cur.slice(),
      nRef: this.nRef,
      nCur: this.nCur,
    };
  }

  /** Restores a state from {@link PopulationStabilityIndex.toState} of an index with the same bin count. */
  fromState(state: NamedState): void {
    const edges = state['edges'];
    const ref = state['ref'];
    const cur = state['cur'];
    if (
      state['kind'] !== 'psi' ||
      !(edges instanceof Float64Array && edges.length === this.edges.length) ||
      !(ref instanceof Float64Array && ref.length === this.bins) ||
      !(cur instanceof Float64Array && cur.length === this.bins)
    ) {
      throw new KernelError(`PSI state does not fit an index with ${this.bins} bins; pass PopulationStabilityIndex.toState() output`);
    }
    if (!this.fixed) this.edges.set(edges);
    this.hasEdges = this.fixed || (state['hasEdges'] as boolean);
    this.ref.set(ref);
    this.cur.set(cur);
    this.nRef = state['nRef'] as number;
    this.nCur = state['nCur'] as number;
  }
}
