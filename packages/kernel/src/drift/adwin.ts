import { KernelError } from '../errors.js';
import type { NamedState } from '../state.js';
import type { DriftDetector } from './base.js';

/** Settings of {@link Adwin}; every field has River's default. */
export interface AdwinOptions {
  /** Confidence δ of the cut test (default 0.002). */
  readonly delta?: number;
  /** Test the window for a cut every `clock` updates (default 32; 1 tests after every value). */
  readonly clock?: number;
  /** Summaries kept per row of the exponential histogram before two are merged (default 5). */
  readonly maxBuckets?: number;
  /** Each side of a cut must hold at least this many values (default 5). */
  readonly minWindowLength?: number;
  /** No test while the window holds this many values or fewer (default 10). */
  readonly gracePeriod?: number;
}

/** Rows of the histogram: row i summarises 2^i values, so 60 rows hold far more than any stream. */
const MAX_ROWS = 60;

/**
 * ADWIN, the ADaptive WINdowing change detector (ADWIN2 with an exponential histogram), with River's
 * defaults and River's exact order of operations, so it reports drift at the same indices as
 * `river.drift.ADWIN` (checked against a River fixture in the tests).
 *
 * The window is an exponential histogram: row i holds up to `maxBuckets + 1` summaries (total and
 * variance of 2^i consecutive values); when a row overflows, its two oldest summaries merge into the next
 * row. Every `clock` updates, once the window is longer than `gracePeriod`, every boundary between two
 * summaries splits the window into an older part W0 (n0 values) and a newer part W1 (n1 values); a cut is
 * significant when |mean(W0) − mean(W1)| > ε = sqrt(2 m σ²_W δ′) + (2/3) δ′ m, with
 * m = 1/(n0 − L + 1) + 1/(n1 − L + 1) (L = minWindowLength), σ²_W the window variance and
 * δ′ = ln(2 ln(width) / δ) (River's form of the bound). The oldest summary is then dropped and the scan
 * restarts, until no cut is significant. `driftDetected` is true after the update that dropped anything;
 * as in River (≥ 0.20), the next `update` then starts from an empty window.
 *
 * All state lives in typed arrays allocated by the constructor: `update` allocates nothing.
 *
 * Reference: River 0.26.1 (its Rust `AdaptiveWindowing`). Two details differ from older River releases
 * (the Cython `adwin_c.pyx`) and from the paper, and are followed here: every summary boundary is a
 * candidate cut (the Cython loop skipped the newest summary of each row), and the window is emptied on
 * the update after a detection (River's `DriftDetector` restarts after a drift).
 *
 * Paper: A. Bifet, R. Gavaldà, "Learning from time-changing data with adaptive windowing", SIAM SDM 2007.
 *
 * @example
 * const adwin = new Adwin();
 * for (let i = 0; i < 2000; i++) {
 *   adwin.update(i < 1000 ? (i % 2) : 5 + (i % 2));
 *   if (adwin.driftDetected) console.log('drift at', i);
 * }
 */
export class Adwin implements DriftDetector {
  readonly delta: number;
  readonly clock: number;
  readonly maxBuckets: number;
  readonly minWindowLength: number;
  readonly gracePeriod: number;

  private readonly slots: number;
  private readonly rowSize = new Float64Array(MAX_ROWS);
  private readonly counts = new Int32Array(MAX_ROWS);
  private readonly totals: Float64Array;
  private readonly variances: Float64Array;
  private nRows = 1;
  private tick = 0;
  private widthV = 0;
  private totalV = 0;
  private varianceV = 0;
  private detections = 0;
  private drift = false;

  /**
   * @param options - see {@link AdwinOptions}; throws {@link KernelError} on a value that cannot work
   */
  constructor(options: AdwinOptions = {}) {
    this.delta = options.delta ?? 0.002;
    this.clock = options.clock ?? 32;
    this.maxBuckets = options.maxBuckets ?? 5;
    this.minWindowLength = options.minWindowLength ?? 5;
    this.gracePeriod = options.gracePeriod ?? 10;
    if (!(this.delta > 0 && this.delta < 1)) {
      throw new KernelError(`ADWIN delta ${this.delta} must be in (0, 1); use e.g. 0.002`);
    }
    for (const [name, v, min] of [
      ['clock', this.clock, 1],
      ['maxBuckets', this.maxBuckets, 2],
      ['minWindowLength', this.minWindowLength, 1],
      ['gracePeriod', this.gracePeriod, 0],
    ] as const) {
      if (!Number.isInteger(v) || v < min) {
        throw new KernelError(`ADWIN ${name} ${v} must be an integer ≥ ${min}`);
      }
    }
    this.slots = this.maxBuckets + 1;
    this.totals = new Float64Array(MAX_ROWS * this.slots);
    this.variances = new Float64Array(MAX_ROWS * this.slots);
    for (let i = 0; i < MAX_ROWS; i++) this.rowSize[i] = 2 ** i;
  }

  /** True when the last `update` cut the window. */
  get driftDetected(): boolean {
    return this.drift;
  }

  /** ADWIN has no warning zone: always false. */
  get warningDetected(): boolean {
    return false;
  }

  /** Number of values in the current window. */
  get width(): number {
    return this.widthV;
  }

  /** Sum of the values in the window. */
  get total(): number {
    return this.totalV;
  }

  /** Sum of squared deviations from the mean in the window (River's `variance`, not divided by width). */
  get variance(): number {
    return this.varianceV;
  }

  /** Mean of the window (0 when empty). */
  get estimation(): number {
    return this.widthV === 0 ? 0 : this.totalV / this.widthV;
  }

  /** Updates that reported a drift since construction or the last `fromState` (not cleared by the automatic restart). */
  get nDetections(): number {
    return this.detections;
  }

  /** Empties the window and clears the flags. */
  reset(): void {
    this.counts.fill(0);
    this.totals.fill(0);
    this.variances.fill(0);
    this.nRows = 1;
    this.tick = 0;
    this.widthV = 0;
    this.totalV = 0;
    this.varianceV = 0;
    this.drift = false;
  }

  /**
   * Adds one value (a loss, an error bit, …) and tests for a change when the clock says so.
   *
   * @param x - the next value of the monitored stream
   */
  update(x: number): void {
    if (this.drift) {
      const d = this.detections;
      this.reset();
      this.detections = d;
    }
    this.insert(x);
    this.drift = this.detectChange();
    if (this.drift) this.detections++;
  }

  private insert(value: number): void {
    const c = this.counts[0];
    this.totals[c] = value;
    this.variances[c] = 0;
    this.counts[0] = c + 1;
    this.widthV += 1;
    let inc = 0;
    if (this.widthV > 1) {
      const d = value - this.totalV / (this.widthV - 1);
      inc = ((this.widthV - 1) * d * d) / this.widthV;
    }
    this.varianceV += inc;
    this.totalV += value;
    this.compress();
  }

  /** Drops the first `k` summaries of row `row`, shifting the rest left. */
  private shiftRow(row: number, k: number): void {
    const base = row * this.slots;
    const c = this.counts[row];
    for (let i = k; i < c; i++) {
      this.totals[base + i - k] = this.totals[base + i];
      this.variances[base + i - k] = this.variances[base + i];
    }
    for (let i = c - k; i < c; i++) {
      this.totals[base + i] = 0;
      this.variances[base + i] = 0;
    }
    this.counts[row] = c - k;
  }

  private compress(): void {
    const s = this.slots;
    for (let idx = 0; idx + 1 < MAX_ROWS; idx++) {
      if (this.counts[idx] !== this.maxBuckets + 1) return;
      const base = idx * s;
      const n1 = this.rowSize[idx];
      const t0 = this.totals[base];
      const t1 = this.totals[base + 1];
      const mu1 = t0 / n1;
      const mu2 = t1 / n1;
      const total12 = t0 + t1;
      // n·n·(μ1−μ2)²/(2n) written as River writes it, so the rounding is the same.
      const temp = n1 * 0.5 * (mu1 - mu2) * (mu1 - mu2);
      const v12 = this.variances[base] + this.variances[base + 1] + temp;
      if (idx + 1 >= this.nRows) this.nRows = idx + 2;
      const next = idx + 1;
      const nc = this.counts[next];
      this.totals[next * s + nc] = total12;
      this.variances[next * s + nc] = v12;
      this.counts[next] = nc + 1;
      this.shiftRow(idx, 2);
      if (this.counts[next] <= this.maxBuckets) return;
    }
  }

  private deleteOldest(): void {
    const last = this.nRows - 1;
    const base = last * this.slots;
    const n = this.rowSize[last];
    const u = this.totals[base];
    const v = this.variances[base];
    const mu = u / n;
    this.widthV -= n;
    this.totalV -= u;
    const muW = this.totalV / this.widthV;
    const inc = v + (n * this.widthV * (mu - muW) * (mu - muW)) / (n + this.widthV);
    this.varianceV -= inc;
    this.shiftRow(last, 1);
    if (this.counts[last] === 0 && this.nRows > 1) this.nRows--;
  }

  /**
   * The Hoeffding-style cut test of a split into n0 (older) and n1 (newer) values. `deltaPrime` =
   * ln(2 ln(width) / δ) and `meanVariance` = variance / width depend only on the window, so the scan computes them
   * once per pass (the same expressions, so the same doubles as computing them per split).
   */
  private cut(n0: number, n1: number, deltaMean: number, deltaPrime: number, meanVariance: number): boolean {
    const mRecip = 1 / (n0 - this.minWindowLength + 1) + 1 / (n1 - this.minWindowLength + 1);
    const epsilon = Math.sqrt(2 * mRecip * meanVariance * deltaPrime) + (2 / 3) * deltaPrime * mRecip;
    return Math.abs(deltaMean) > epsilon;
  }

  private detectChange(): boolean {
    let changed = false;
    this.tick++;
    if (this.tick % this.clock !== 0 || !(this.widthV > this.gracePeriod)) return false;
    const s = this.slots;
    const mwl = this.minWindowLength;
    let again = true;
    while (again) {
      again = false;
      let n0 = 0;
      let n1 = this.widthV;
      let u0 = 0;
      let u1 = this.totalV;
      // Constant during a pass: the window changes only in deleteOldest, which ends the pass.
      const deltaPrime = Math.log((2 * Math.log(this.widthV)) / this.delta);
      const meanVariance = this.varianceV / this.widthV;
      scan: for (let idx = this.nRows - 1; idx >= 0; idx--) {
        const size = this.rowSize[idx];
        const c = this.counts[idx];
        const base = idx * s;
        for (let k = 0; k < c; k++) {
          n0 += size;
          n1 -= size;
          const t = this.totals[base + k];
          u0 += t;
          u1 -= t;
          if (idx === 0 && k === c - 1) break scan;
          const deltaMean = u0 / n0 - u1 / n1;
          if (n1 >= mwl && n0 >= mwl && this.cut(n0, n1, deltaMean, deltaPrime, meanVariance)) {
            again = true;
            changed = true;
            if (this.widthV > 0) {
              this.deleteOldest();
              break scan;
            }
          }
        }
      }
    }
    return changed;
  }

  /** The whole learned state: the histogram as typed arrays plus the scalars; settings are not included. */
  toState(): NamedState {
    const used = this.nRows * this.slots;
    return {
      kind: 'adwin',
      nRows: this.nRows,
      tick: this.tick,
      width: this.widthV,
      total: this.totalV,
      variance: this.varianceV,
      detections: this.detections,
      drift: this.drift,
      counts: this.counts.slice(0, this.nRows),
      totals: this.totals.slice(0, used),
      variances: this.variances.slice(0, used),
    };
  }

  /**
   * Restores a state from {@link Adwin.toState} of a detector with the same `maxBuckets`; the next
   * outputs are then identical to the original's.
   */
  fromState(state: NamedState): void {
    const nRows = state['nRows'] as number;
    const counts = state['counts'] as Int32Array;
    const totals = state['totals'] as Float64Array;
    const variances = state['variances'] as Float64Array;
    if (
      state['kind'] !== 'adwin' ||
      !(counts instanceof Int32Array) ||
      counts.length !== nRows ||
      !(totals instanceof Float64Array) ||
      totals.length !== nRows * this.slots ||
      !(variances instanceof Float64Array) ||
      variances.length !== totals.length
    ) {
      throw new KernelError(
        `ADWIN state does not fit this detector (maxBuckets ${this.maxBuckets}); pass the output of Adwin.toState() of a detector with the same settings`,
      );
    }
    this.reset();
    this.nRows = nRows;
    this.counts.set(counts);
    this.totals.set(totals);
    this.variances.set(variances);
    this.tick = state['tick'] as number;
    this.widthV = state['width'] as number;
    this.totalV = state['total'] as number;
    this.varianceV = state['variance'] as number;
    this.detections = state['detections'] as number;
    this.drift = state['drift'] as boolean;
  }
}
