import { KernelError } from '../errors.js';
import type { NamedState } from '../state.js';
import type { DriftDetector } from './base.js';

/** Settings of {@link Ddm}; every field has River's default. */
export interface DdmOptions {
  /** No warning or drift while this many values or fewer were seen (default 30). */
  readonly warmStart?: number;
  /** Warning when p + s > p_min + warningThreshold · s_min (default 2). */
  readonly warningThreshold?: number;
  /** Drift when p + s > p_min + driftThreshold · s_min (default 3). */
  readonly driftThreshold?: number;
}

/**
 * DDM, the Drift Detection Method, on a stream of error bits (1 = the model was wrong), exactly as
 * `river.drift.binary.DDM`: p_i is the running error rate and s_i = sqrt(p_i (1 − p_i) / i); after
 * `warmStart` values it keeps the (p, s) at which p + s was smallest, warns when
 * p_i + s_i > p_min + 2 s_min and signals drift when p_i + s_i > p_min + 3 s_min. After a drift the
 * next `update` restarts from scratch. Known to raise false alarms on long stationary streams.
 *
 * Paper: J. Gama, P. Medas, G. Castillo, P. Rodrigues, "Learning with drift detection", SBIA 2004.
 *
 * @example
 * const ddm = new Ddm();
 * for (let i = 0; i < 2000; i++) {
 *   ddm.update(i < 1000 ? (i % 10 === 0 ? 1 : 0) : (i % 2));
 *   if (ddm.driftDetected) console.log('drift at', i);
 * }
 */
export class Ddm implements DriftDetector {
  readonly warmStart: number;
  readonly warningThreshold: number;
  readonly driftThreshold: number;

  private n = 0;
  private p = 0;
  private pMin = 0;
  private sMin = 0;
  private psMin = Infinity;
  private drift = false;
  private warning = false;

  /** @param options - see {@link DdmOptions}; throws {@link KernelError} on a value that cannot work */
  constructor(options: DdmOptions = {}) {
    this.warmStart = options.warmStart ?? 30;
    this.warningThreshold = options.warningThreshold ?? 2;
    this.driftThreshold = options.driftThreshold ?? 3;
    if (!(this.warmStart >= 0) || !(this.warningThreshold > 0) || !(this.driftThreshold >= this.warningThreshold)) {
      throw new KernelError(
        `DDM settings warmStart ${this.warmStart}, warningThreshold ${this.warningThreshold}, driftThreshold ${this.driftThreshold} are invalid: need warmStart ≥ 0 and 0 < warningThreshold ≤ driftThreshold`,
      );
    }
  }

  /** True when the last `update` signalled a drift. */
  get driftDetected(): boolean {
    return this.drift;
  }

  /** True while p + s is above the warning level (cleared by a drift). */
  get warningDetected(): boolean {
    return this.warning;
  }

  /** The running error rate since the last reset. */
  get errorRate(): number {
    return this.p;
  }

  /** Clears all statistics and flags. */
  reset(): void {
    this.n = 0;
    this.p = 0;
    this.pMin = 0;
    this.sMin = 0;
    this.psMin = Infinity;
    this.drift = false;
    this.warning = false;
  }

  /** @param x - the next error bit (1 = error, 0 = correct; values in between are averaged the same way) */
  update(x: number): void {
    if (this.drift) this.reset();
    this.n += 1;
    this.p += (1 / this.n) * (x - this.p);
    const pi = this.p;
    const si = Math.sqrt((pi * (1 - pi)) / this.n);
    if (this.n > this.warmStart) {
      if (pi + si <= this.psMin) {
        this.pMin = pi;
        this.sMin = si;
        this.psMin = this.pMin + this.sMin;
      }
      this.warning = pi + si > this.pMin + this.warningThreshold * this.sMin;
      if (pi + si > this.pMin + this.driftThreshold * this.sMin) {
        this.drift = true;
        this.warning = false;
      }
    }
  }

  /** The learned state (p_min + s_min is null before the warm start ends). */
  toState(): NamedState {
    return {
      kind: 'ddm',
      n: this.n,
      p: this.p,
      pMin: this.pMin,
      sMin: this.sMin,
      psMin: Number.isFinite(this.psMin) ? this.psMin : null,
      drift: this.drift,
      warning: this.warning,
    };
  }

  /** Restores a state from {@link Ddm.toState}; the next outputs are identical to the original's. */
  fromState(state: NamedState): void {
    if (state['kind'] !== 'ddm') {
      throw new KernelError(`state of kind '${String(state['kind'])}' is not a DDM state; pass Ddm.toState() output`);
    }
    this.n = state['n'] as number;
    this.p = state['p'] as number;
    this.pMin = state['pMin'] as number;
    this.sMin = state['sMin'] as number;
    const ps = state['psMin'];
    this.psMin = typeof ps === 'number' ? ps : Infinity;
    this.drift = state['drift'] as boolean;
    this.warning = state['warning'] as boolean;
  }
}
