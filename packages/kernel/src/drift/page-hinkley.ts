import { KernelError } from '../errors.js';
import type { NamedState } from '../state.js';
import type { DriftDetector } from './base.js';

/** Settings of {@link PageHinkley}; every field has River's default. */
export interface PageHinkleyOptions {
  /** No alarm before this many values since the last reset (default 30). */
  readonly minInstances?: number;
  /** Tolerated drift δ of the mean per value (default 0.005). */
  readonly delta?: number;
  /** Alarm threshold λ (default 50). */
  readonly threshold?: number;
  /** Forgetting factor α applied to the cumulative sums (default 1 − 1e-4). */
  readonly alpha?: number;
  /** Watch increases of the mean ('up'), decreases ('down') or both (default 'both'). */
  readonly mode?: 'up' | 'down' | 'both';
}

const UP = 1;
const DOWN = 2;

/**
 * The Page-Hinkley test (a CUSUM chart on deviations from the running mean), exactly as
 * `river.drift.PageHinkley`: with x̄_t the running mean,
 * S⁺_t = α S⁺_{t−1} + (x_t − x̄_t) − δ and S⁻_t = α S⁻_{t−1} + (x_t − x̄_t) + δ;
 * alarm (after `minInstances` values) when S⁺_t − min S⁺ > λ (an increase) or max S⁻ − S⁻_t > λ (a
 * decrease). After an alarm the next `update` restarts from scratch, as River does.
 *
 * Paper: E. S. Page, "Continuous inspection schemes", Biometrika 41 (1954) 100–115.
 *
 * @example
 * const ph = new PageHinkley();
 * for (let i = 0; i < 2000; i++) {
 *   ph.update(i < 1000 ? (i % 2) : 5 + (i % 2));
 *   if (ph.driftDetected) console.log('drift at', i);
 * }
 */
export class PageHinkley implements DriftDetector {
  readonly minInstances: number;
  readonly delta: number;
  readonly threshold: number;
  readonly alpha: number;
  readonly mode: 'up' | 'down' | 'both';
  private readonly modeBits: number;

  private n = 0;
  private mean = 0;
  private sumIncrease = 0;
  private sumDecrease = 0;
  private minIncrease = Infinity;
  private maxDecrease = -1;
  private drift = false;

  /** @param options - see {@link PageHinkleyOptions}; throws {@link KernelError} on a value that cannot work */
  constructor(options: PageHinkleyOptions = {}) {
    this.minInstances = options.minInstances ?? 30;
    this.delta = options.delta ?? 0.005;
    this.threshold = options.threshold ?? 50;
    this.alpha = options.alpha ?? 1 - 0.0001;
    this.mode = options.mode ?? 'both';
    if (!(this.minInstances >= 1) || !(this.delta >= 0) || !(this.threshold > 0) || !(this.alpha > 0 && this.alpha <= 1)) {
      throw new KernelError(
        `Page-Hinkley settings minInstances ${this.minInstances}, delta ${this.delta}, threshold ${this.threshold}, alpha ${this.alpha} are invalid: need minInstances ≥ 1, delta ≥ 0, threshold > 0, 0 < alpha ≤ 1`,
      );
    }
    if (this.mode !== 'up' && this.mode !== 'down' && this.mode !== 'both') {
      throw new KernelError(`Page-Hinkley mode '${String(this.mode)}' is not one of 'up', 'down', 'both'`);
    }
    this.modeBits = this.mode === 'up' ? UP : this.mode === 'down' ? DOWN : UP | DOWN;
  }

  /** True when the last `update` raised the alarm. */
  get driftDetected(): boolean {
    return this.drift;
  }

  /** Page-Hinkley has no warning zone: always false. */
  get warningDetected(): boolean {
    return false;
  }

  /** Values seen since the last reset. */
  get count(): number {
    return this.n;
  }

  /** Clears all statistics and flags. */
  reset(): void {
    this.n = 0;
    this.mean = 0;
    this.sumIncrease = 0;
    this.sumDecrease = 0;
    this.minIncrease = Infinity;
    this.maxDecrease = -1;
    this.drift = false;
  }

  /** @param x - the next value of the monitored stream */
  update(x: number): void {
    if (this.drift) this.reset();
    this.n += 1;
    this.mean += (1 / this.n) * (x - this.mean);
    const dev = x - this.mean;
    this.sumIncrease = this.alpha * this.sumIncrease + dev - this.delta;
    this.sumDecrease = this.alpha * this.sumDecrease + dev + this.delta;
    if (this.sumIncrease < this.minIncrease) this.minIncrease = this.sumIncrease;
    if (this.sumDecrease > this.maxDecrease) this.maxDecrease = this.sumDecrease;
    if (this.n >= this.minInstances) {
      const up = (this.modeBits & UP) !== 0 && this.sumIncrease - this.minIncrease > this.threshold;
      const down = (this.modeBits & DOWN) !== 0 && this.maxDecrease - this.sumDecrease > this.threshold;
      this.drift = up || down;
    }
  }

  /** The learned state (the running minimum is null before the first value). */
  toState(): NamedState {
    return {
      kind: 'page-hinkley',
      n: this.n,
      mean: this.mean,
      sumIncrease: this.sumIncrease,
      sumDecrease: this.sumDecrease,
      minIncrease: Number.isFinite(this.minIncrease) ? this.minIncrease : null,
      maxDecrease: this.maxDecrease,
      drift: this.drift,
    };
  }

  /** Restores a state from {@link PageHinkley.toState}; the next outputs are identical to the original's. */
  fromState(state: NamedState): void {
    if (state['kind'] !== 'page-hinkley') {
      throw new KernelError(`state of kind '${String(state['kind'])}' is not a Page-Hinkley state; pass PageHinkley.toState() output`);
    }
    this.n = state['n'] as number;
    this.mean = state['mean'] as number;
    this.sumIncrease = state['sumIncrease'] as number;
    this.sumDecrease = state['sumDecrease'] as number;
    const m = state['minIncrease'];
    this.minIncrease = typeof m === 'number' ? m : Infinity;
    this.maxDecrease = state['maxDecrease'] as number;
    this.drift = state['drift'] as boolean;
  }
}
