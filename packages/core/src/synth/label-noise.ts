import { Rng } from '@logit-stream/kernel';
import { CoreError } from '../errors/index.js';
import { checkRange } from './check-options.js';

/** Settings of {@link LabelNoise}. */
export interface LabelNoiseOptions {
  /** ρ0 = P(observed 1 | true 0). */
  readonly rho0: number;
  /** ρ1 = P(observed 0 | true 1). */
  readonly rho1: number;
  /** Fraction of events that are audited: they carry the clean label and `sourceLabel` (default 0). */
  readonly trustedFraction?: number;
  /** Seed of the Rng (default 1). */
  readonly seed?: number;
}

/**
 * Class-conditional label noise with transition matrix T = [[1−ρ0, ρ0], [ρ1, 1−ρ1]] (SPEC §1) and a
 * trusted (audited) fraction. `apply(clean)` sets `noisy` (what the noisy source says), then, for a
 * trusted event, `label` = clean and `sourceLabel` = noisy; otherwise `label` = noisy and
 * `sourceLabel` = null. Allocation-free.
 *
 * @example
 * const n = new LabelNoise({ rho0: 0.1, rho1: 0.3, trustedFraction: 0.05, seed: 1 });
 * n.apply(1);
 * n.label; n.trusted; n.sourceLabel;
 */
export class LabelNoise {
  readonly rho0: number;
  readonly rho1: number;
  readonly trustedFraction: number;
  /** What the noisy source said for the last event. */
  noisy = 0;
  /** The label to publish for the last event. */
  label = 0;
  /** Whether the last event is trusted (audited clean). */
  trusted = false;
  /** For a trusted event, the noisy source's label; else null. */
  sourceLabel: number | null = null;
  private readonly rng: Rng;

  constructor(o: LabelNoiseOptions) {
    checkRange('noise rate rho0', o.rho0, 0, 1);
    checkRange('noise rate rho1', o.rho1, 0, 1);
    if (!(o.rho0 + o.rho1 < 1)) {
      throw new CoreError('bad-option', `noise rates ρ0 = ${o.rho0}, ρ1 = ${o.rho1} must satisfy ρ0 + ρ1 < 1`);
    }
    this.rho0 = o.rho0;
    this.rho1 = o.rho1;
    this.trustedFraction = o.trustedFraction ?? 0;
    checkRange('trusted fraction', this.trustedFraction, 0, 1);
    this.rng = new Rng(o.seed ?? 1);
  }

  /** Draws the noisy label for clean label 0 or 1 and decides whether the event is trusted. */
  apply(clean: number): void {
    const flip = clean >= 0.5 ? this.rho1 : this.rho0;
    const noisy = this.rng.next() < flip ? 1 - clean : clean;
    this.noisy = noisy;
    if (this.trustedFraction > 0 && this.rng.next() < this.trustedFraction) {
      this.trusted = true;
      this.label = clean;
      this.sourceLabel = noisy;
    } else {
      this.trusted = false;
      this.label = noisy;
      this.sourceLabel = null;
    }
  }
}
