import { KernelError } from '../errors.js';
import type { NamedState } from '../state.js';
import type { Metric } from './base.js';

/**
 * A preallocated ring buffer of the last `capacity` (y, p) pairs, for sliding-window metrics:
 * "update the new pair, revert the evicted one". `push` allocates nothing; the evicted pair is exposed
 * as `evictedY` / `evictedP` until the next `push`.
 *
 * Exactness: metrics with integer state (accuracy, AUC with hard labels, the ECE bin counts) revert
 * exactly; floating sums (log loss, Brier, ECE means, soft-label AUC) pick up rounding from each
 * add/subtract. To keep a window exact, call {@link PairWindow.replayInto} for each windowed metric
 * once every `capacity` evictions (`evictions % capacity === 0`): it rebuilds the metric from the
 * buffer, O(capacity), so O(1) amortised per event.
 *
 * @example
 * const win = new PairWindow(1000);
 * const loss = new LogLossMetric();
 * // per event:
 * if (win.push(y, p)) loss.revert(win.evictedY, win.evictedP);
 * loss.update(y, p);
 * if (win.evictions > 0 && win.evictions % win.capacity === 0) win.replayInto(loss);
 */
export class PairWindow {
  readonly capacity: number;
  private readonly ys: Float64Array;
  private readonly ps: Float64Array;
  private head = 0; // index of the oldest pair
  private n = 0;
  private evicted = 0;
  private ey = Number.NaN;
  private ep = Number.NaN;

  /** @param capacity - window length (integer ≥ 1) */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new KernelError(`window capacity ${capacity} must be an integer ≥ 1`);
    }
    this.capacity = capacity;
    this.ys = new Float64Array(capacity);
    this.ps = new Float64Array(capacity);
  }

  /**
   * Appends a pair; when the window is full the oldest pair is evicted first.
   *
   * @returns true when a pair was evicted (then read it from `evictedY` / `evictedP`)
   */
  push(y: number, p: number): boolean {
    if (this.n < this.capacity) {
      const i = (this.head + this.n) % this.capacity;
      this.ys[i] = y;
      this.ps[i] = p;
      this.n++;
      return false;
    }
    const i = this.head;
    this.ey = this.ys[i];
    this.ep = this.ps[i];
    this.ys[i] = y;
    this.ps[i] = p;
    this.head = i + 1 === this.capacity ? 0 : i + 1;
    this.evicted++;
    return true;
  }

  /** Label of the pair evicted by the last `push` that returned true. */
  get evictedY(): number {
    return this.ey;
  }

  /** Probability of the pair evicted by the last `push` that returned true. */
  get evictedP(): number {
    return this.ep;
  }

  /** Pairs in the window. */
  get size(): number {
    return this.n;
  }

  /** Pairs evicted since construction or `clear`. */
  get evictions(): number {
    return this.evicted;
  }

  /** Label of the i-th pair, 0 = oldest. */
  y(i: number): number {
    return this.ys[(this.head + i) % this.capacity];
  }

  /** Probability of the i-th pair, 0 = oldest. */
  p(i: number): number {
    return this.ps[(this.head + i) % this.capacity];
  }

  /** Resets `metric` and adds every pair of the window, oldest first (makes a windowed metric exact again). */
  replayInto(metric: Metric): void {
    metric.reset();
    for (let k = 0; k < this.n; k++) {
      const i = (this.head + k) % this.capacity;
      metric.update(this.ys[i], this.ps[i]);
    }
  }

  /** Empties the window. */
  clear(): void {
    this.head = 0;
    this.n = 0;
    this.evicted = 0;
    this.ey = Number.NaN;
    this.ep = Number.NaN;
  }

  /** The pairs oldest first, and the eviction count. */
  toState(): NamedState {
    const ys = new Float64Array(this.n);
    const ps = new Float64Array(this.n);
    for (let k = 0; k < this.n; k++) {
      ys[k] = this.y(k);
      ps[k] = this.p(k);
    }
    return { kind: 'pair-window', capacity: this.capacity, ys, ps, evictions: this.evicted };
  }

  /** Restores a state from {@link PairWindow.toState} of a window with the same capacity. */
  fromState(state: NamedState): void {
    const ys = state['ys'];
    const ps = state['ps'];
    if (
      state['kind'] !== 'pair-window' ||
      state['capacity'] !== this.capacity ||
      !(ys instanceof Float64Array && ps instanceof Float64Array && ys.length === ps.length && ys.length <= this.capacity)
    ) {
      throw new KernelError(`pair-window state does not fit a window of capacity ${this.capacity}; pass PairWindow.toState() output`);
    }
    this.clear();
    this.ys.set(ys);
    this.ps.set(ps);
    this.n = ys.length;
    this.evicted = state['evictions'] as number;
  }
}
