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

/** (z1, q1) after (z2, q2) in the order by z, then by sequence number (a total order on window points). */
function after(z1: number, q1: number, z2: number, q2: number): boolean {
  return z1 > z2 || (z1 === z2 && q1 > q2);
}

/** Swaps entries i and j of the three parallel arrays. */
function swap3(z: Float64Array, y: Float64Array, q: Float64Array, i: number, j: number): void {
  const a = z[i];
  z[i] = z[j];
  z[j] = a;
  const b = y[i];
  y[i] = y[j];
  y[j] = b;
  const c = q[i];
  q[i] = q[j];
  q[j] = c;
}

/** Sift-down step of the heap sort on [start, end). */
function siftDown(z: Float64Array, y: Float64Array, q: Float64Array, start: number, end: number): void {
  let root = start;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= end) return;
    if (child + 1 < end && after(z[child + 1], q[child + 1], z[child], q[child])) child++;
    if (!after(z[child], q[child], z[root], q[root])) return;
    swap3(z, y, q, root, child);
    root = child;
  }
}

/** In-place heap sort of n points by (z, sequence), carrying y along. No allocation, O(n log n). */
function heapSort3(z: Float64Array, y: Float64Array, q: Float64Array, n: number): void {
  for (let s = (n >> 1) - 1; s >= 0; s--) siftDown(z, y, q, s, n);
  for (let end = n - 1; end > 0; end--) {
    swap3(z, y, q, 0, end);
    siftDown(z, y, q, 0, end);
  }
}

/**
 * Isotonic-regression calibration over a sliding window: keeps the last `window` (z, y) pairs in a
 * preallocated ring buffer and, every `refitEvery` learned events, refits a non-decreasing map from z
 * to p by pool adjacent violators ({@link poolAdjacentViolators}; equal z are pooled). `predict(z)`
 * finds z among the block centres by binary search and interpolates linearly between the two
 * neighbouring block values, clipped to the first and last block's value outside them. Before the
 * first fit it returns σ(z). The window stays sorted by (z, arrival) between fits: a refit sorts only
 * the new events (in-place heap sort) and merges them in, O(window + k log k). `predict` is
 * O(log blocks); neither method allocates.
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
  /** Events learned so far: the sequence number of the next event. */
  private total = 0;
  /** `total` at the last refit. */
  private lastFit = 0;
  // the window of the last fit sorted by (z, sequence), and two scratch buffers of the same shape
  private sZ: Float64Array;
  private sY: Float64Array;
  private sQ: Float64Array;
  private nSorted = 0;
  private tZ: Float64Array;
  private tY: Float64Array;
  private tQ: Float64Array;
  private readonly newZ: Float64Array;
  private readonly newY: Float64Array;
  private readonly newQ: Float64Array;
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
    this.sZ = new Float64Array(w);
    this.sY = new Float64Array(w);
    this.sQ = new Float64Array(w);
    this.tZ = new Float64Array(w);
    this.tY = new Float64Array(w);
    this.tQ = new Float64Array(w);
    this.newZ = new Float64Array(w);
    this.newY = new Float64Array(w);
    this.newQ = new Float64Array(w);
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
    this.total++;
    if (this.total - this.lastFit >= this.refitEvery) this.refit();
  }

  /**
   * Refits now from the current window (done automatically every `refitEvery` events). Only the
   * events since the last fit are sorted; they are merged into the previous sorted window minus the
   * evicted events, so a refit costs O(window + k log k) for k new events.
   */
  refit(): void {
    const n = this.n;
    const k = Math.min(this.total - this.lastFit, n);
    this.lastFit = this.total;
    if (n === 0) return;
    const firstValid = this.total - n;
    // the k newest events, sequence numbers total − k … total − 1
    for (let j = 0; j < k; j++) {
      const i = (this.head + (n - k + j)) % this.window;
      this.newZ[j] = this.zs[i];
      this.newY[j] = this.ys[i];
      this.newQ[j] = this.total - k + j;
    }
    heapSort3(this.newZ, this.newY, this.newQ, k);
    // merge the surviving sorted points with the new ones
    const sZ = this.sZ;
    const sY = this.sY;
    const sQ = this.sQ;
    const tZ = this.tZ;
    const tY = this.tY;
    const tQ = this.tQ;
    let a = 0;
    let b = 0;
    let m = 0;
    const na = this.nSorted;
    for (;;) {
      while (a < na && sQ[a] < firstValid) a++;
      if (a >= na && b >= k) break;
      if (b >= k || (a < na && !after(sZ[a], sQ[a], this.newZ[b], this.newQ[b]))) {
        tZ[m] = sZ[a];
        tY[m] = sY[a];
        tQ[m] = sQ[a];
        a++;
      } else {
        tZ[m] = this.newZ[b];
        tY[m] = this.newY[b];
        tQ[m] = this.newQ[b];
        b++;
      }
      m++;
    }
    this.tZ = sZ;
    this.tY = sY;
    this.tQ = sQ;
    this.sZ = tZ;
    this.sY = tY;
    this.sQ = tQ;
    this.nSorted = m;
    this.nBlocks = poolAdjacentViolators(tZ, tY, this.ones, m, this.bx, this.by, this.bw);
  }

  /** The window (oldest first), the event counters and the current fit. */
  /**
   * Keeps its own window: a step function fitted on a window of (z, y) pairs has no average with
   * another one's that is again such a fit; each replica refits on the pairs it sees.
   */
  mix(_self: number, _others: readonly NamedState[], _weights: readonly number[]): void {}

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
      total: this.total,
      lastFit: this.lastFit,
      bx: this.bx.slice(0, m),
      by: this.by.slice(0, m),
      bw: this.bw.slice(0, m),
    };
  }

  /** Restores a state from {@link IsotonicCalibrator.toState} of a calibrator with the same window; the next outputs are identical. */
  fromState(state: NamedState): void {
    const zs = state['zs'];
    const ys = state['ys'];
    const bx = state['bx'];
    const by = state['by'];
    const bw = state['bw'];
    const total = state['total'];
    const lastFit = state['lastFit'];
    if (
      state['kind'] !== 'isotonic' ||
      state['window'] !== this.window ||
      typeof total !== 'number' ||
      typeof lastFit !== 'number' ||
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
    this.total = total;
    this.lastFit = lastFit;
    this.bx.set(bx);
    this.by.set(by);
    this.bw.set(bw);
    this.nBlocks = bx.length;
    // the sorted window of the last fit, minus what has been evicted since: the order by
    // (z, sequence) is a function of the set of points, so later merges give identical results
    const firstValid = total - this.n;
    let m = 0;
    for (let k = 0; k < this.n; k++) {
      const seq = firstValid + k;
      if (seq >= lastFit) break;
      this.sZ[m] = zs[k];
      this.sY[m] = ys[k];
      this.sQ[m] = seq;
      m++;
    }
    heapSort3(this.sZ, this.sY, this.sQ, m);
    this.nSorted = m;
  }
}
