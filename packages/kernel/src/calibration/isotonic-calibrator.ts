import { KernelError } from '../errors.js';
import { sigmoid } from '../math/sigmoid.js';
import type { NamedState } from '../state.js';
import type { Calibrator } from './base.js';
import { poolAdjacentViolators } from './pool-adjacent-violators.js';

/** Settings of {@link IsotonicCalibrator}. */
export interface IsotonicCalibratorOptions {
  /** Number of most recent (z, y) pairs the fit uses (default 2000). */
  readonly window?: number;
  /** Refit every this many learned events (default 100). */
  readonly refitEvery?: number;
}

/** Sift-down step of the heap sort on keys[start..end), carrying vals along. */
function siftDown(keys: Float64Array, vals: Float64Array, start: number, end: number): void {
  let root = start;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= end) return;
    if (child + 1 < end && keys[child + 1] > keys[child]) child++;
    if (keys[root] >= keys[child]) return;
    const k = keys[root];
    keys[root] = keys[child];
    keys[child] = k;
    const v = vals[root];
    vals[root] = vals[child];
    vals[child] = v;
    root = child;
  }
}

/** In-place heap sort of keys ascending, carrying vals along. No allocation, O(n log n). */
function heapSortPairs(keys: Float64Array, vals: Float64Array, n: number): void {
  for (let s = (n >> 1) - 1; s >= 0; s--) siftDown(keys, vals, s, n);
  for (let end = n - 1; end > 0; end--) {
    const k = keys[0];
    keys[0] = keys[end];
    keys[end] = k;
    const v = vals[0];
    vals[0] = vals[end];
    vals[end] = v;
    siftDown(keys, vals, 0, end);
  }
}

/**
 * Isotonic-regression calibration over a sliding window: keeps the last `window` (z, y) pairs in a
 * preallocated ring buffer and, every `refitEvery` learned events, refits a non-decreasing map from z
 * to p by pool adjacent violators ({@link poolAdjacentViolators}). `predict(z)` finds z among the
 * block centres by binary search and interpolates linearly between the two neighbouring block values,
 * clipped to the first and last block's value outside them. Before the first fit it returns σ(z).
 * `predict` is O(log blocks); `learnOne` is O(1) except on a refit, O(window log window); neither
 * allocates (the sort is an in-place heap sort).
 *
 * Paper: B. Zadrozny, C. Elkan, "Transforming classifier scores into accurate multiclass probability
 * estimates", KDD 2002.
 *
 * @example
 * const cal = new IsotonicCalibrator({ window: 500, refitEvery: 50 });
 * cal.predict(1.2);     // σ(1.2): nothing fitted yet
 * cal.learnOne(1.2, 1); // after 50 events the first fit replaces σ
 */
export class IsotonicCalibrator implements Calibrator {
  readonly window: number;
  readonly refitEvery: number;
  private readonly zs: Float64Array;
  private readonly ys: Float64Array;
  private head = 0;
  private n = 0;
  private sinceFit = 0;
  private readonly sortZ: Float64Array;
  private readonly sortY: Float64Array;
  private readonly ones: Float64Array;
  private readonly bx: Float64Array;
  private readonly by: Float64Array;
  private readonly bw: Float64Array;
  private nBlocks = 0;

  /** @param options - see {@link IsotonicCalibratorOptions}; throws {@link KernelError} on values that cannot work */
  constructor(options: IsotonicCalibratorOptions = {}) {
    this.window = options.window ?? 2000;
    this.refitEvery = options.refitEvery ?? 100;
    if (!Number.isInteger(this.window) || this.window < 2) {
      throw new KernelError(`isotonic window ${this.window} must be an integer ≥ 2 (default 2000)`);
    }
    if (!Number.isInteger(this.refitEvery) || this.refitEvery < 1) {
      throw new KernelError(`isotonic refitEvery ${this.refitEvery} must be an integer ≥ 1 (default 100)`);
    }
    const w = this.window;
    this.zs = new Float64Array(w);
    this.ys = new Float64Array(w);
    this.sortZ = new Float64Array(w);
    this.sortY = new Float64Array(w);
    this.ones = new Float64Array(w).fill(1);
    this.bx = new Float64Array(w);
    this.by = new Float64Array(w);
    this.bw = new Float64Array(w);
  }

  /** Blocks of the current fit (0 before the first fit). */
  get blocks(): number {
    return this.nBlocks;
  }

  /** The calibrated probability of score z. */
  predict(z: number): number {
    const m = this.nBlocks;
    if (m === 0) return sigmoid(z);
    const bx = this.bx;
    if (!(z > bx[0])) return this.by[0];
    if (z >= bx[m - 1]) return this.by[m - 1];
    // largest i with bx[i] ≤ z (0 ≤ i < m − 1)
    let lo = 0;
    let hi = m - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (bx[mid] <= z) lo = mid;
      else hi = mid;
    }
    const t = (z - bx[lo]) / (bx[hi] - bx[lo]);
    return this.by[lo] + t * (this.by[hi] - this.by[lo]);
  }

  /**
   * Adds (z, y) to the window; refits every `refitEvery` calls.
   *
   * @param z - the raw score of the event (the one passed to `predict` before)
   * @param y - its label in [0, 1]
   */
  learnOne(z: number, y: number): void {
    if (this.n < this.window) {
      const i = (this.head + this.n) % this.window;
      this.zs[i] = z;
      this.ys[i] = y;
      this.n++;
    } else {
      this.zs[this.head] = z;
      this.ys[this.head] = y;
      this.head = this.head + 1 === this.window ? 0 : this.head + 1;
    }
    this.sinceFit++;
    if (this.sinceFit >= this.refitEvery) this.refit();
  }

  /** Refits now from the current window (also done automatically every `refitEvery` events). */
  refit(): void {
    this.sinceFit = 0;
    const n = this.n;
    if (n === 0) return;
    for (let k = 0; k < n; k++) {
      const i = (this.head + k) % this.window;
      this.sortZ[k] = this.zs[i];
      this.sortY[k] = this.ys[i];
    }
    heapSortPairs(this.sortZ, this.sortY, n);
    this.nBlocks = poolAdjacentViolators(this.sortZ, this.sortY, this.ones, n, this.bx, this.by, this.bw);
  }

  /** The window (oldest first), the refit counter and the current fit. */
  toState(): NamedState {
    const zs = new Float64Array(this.n);
    const ys = new Float64Array(this.n);
    for (let k = 0; k < this.n; k++) {
      const i = (this.head + k) % this.window;
      zs[k] = this.zs[i];
      ys[k] = this.ys[i];
    }
    const m = this.nBlocks;
    return {
      kind: 'isotonic',
      window: this.window,
      zs,
      ys,
      sinceFit: this.sinceFit,
      bx: this.bx.slice(0, m),
      by: this.by.slice(0, m),
      bw: this.bw.slice(0, m),
    };
  }

  /** Restores a state from {@link IsotonicCalibrator.toState} of a calibrator with the same window. */
  fromState(state: NamedState): void {
    const zs = state['zs'];
    const ys = state['ys'];
    const bx = state['bx'];
    const by = state['by'];
    const bw = state['bw'];
    if (
      state['kind'] !== 'isotonic' ||
      state['window'] !== this.window ||
      !(zs instanceof Float64Array && ys instanceof Float64Array && zs.length === ys.length && zs.length <= this.window) ||
      !(bx instanceof Float64Array && by instanceof Float64Array && bw instanceof Float64Array) ||
      bx.length !== by.length ||
      bx.length !== bw.length ||
      bx.length > this.window
    ) {
      throw new KernelError(
        `isotonic state does not fit a calibrator with window ${this.window}; pass IsotonicCalibrator.toState() output of one with the same window`,
      );
    }
    this.zs.set(zs);
    this.ys.set(ys);
    this.head = 0;
    this.n = zs.length;
    this.sinceFit = state['sinceFit'] as number;
    this.bx.set(bx);
    this.by.set(by);
    this.bw.set(bw);
    this.nBlocks = bx.length;
  }
}
