import { Rng } from '@logit-stream/kernel';
import { CoreError } from '../errors/index.js';
import { checkRange } from './check-options.js';
import type { StreamGenerator } from './stream-generator.js';

/** Settings of {@link ConceptDrift}. */
export interface ConceptDriftOptions {
  /** The concept before the drift. */
  readonly before: StreamGenerator;
  /** The concept after the drift (same dim). */
  readonly after: StreamGenerator;
  /** Drift position p: the event index (0-based) at the centre of the switch. */
  readonly position: number;
  /** Width w of the switch in events; 0 = abrupt (events ≥ p come from `after`). Default 0. */
  readonly width?: number;
  /** Seed of the Rng choosing the concept of each event (default 1). */
  readonly seed?: number;
}

/**
 * A switch from one concept to another, abrupt or gradual (MOA's ConceptDriftStream): event t comes
 * from `after` with probability 1/(1 + e^(−4(t−p)/w)). Nest them for several drifts.
 *
 * @example
 * const s = new ConceptDrift({
 *   before: new SeaGenerator({ concept: 1, seed: 1 }),
 *   after: new SeaGenerator({ concept: 2, seed: 2 }),
 *   position: 12_500, width: 1000,
 * });
 */
export class ConceptDrift implements StreamGenerator {
  readonly dim: number;
  readonly featureNames: readonly string[];
  readonly position: number;
  readonly width: number;
  private readonly before: StreamGenerator;
  private readonly after: StreamGenerator;
  private readonly rng: Rng;
  private t = 0;
  /** Whether the last event came from `after`. */
  lastFromAfter = false;

  constructor(o: ConceptDriftOptions) {
    if (o.before.dim !== o.after.dim) {
      throw new CoreError(
        'bad-option',
        `concept drift between streams of ${o.before.dim} and ${o.after.dim} features: both concepts need the same dim`,
      );
    }
    checkRange('concept drift position', o.position, 0, Number.MAX_SAFE_INTEGER);
    this.width = o.width ?? 0;
    checkRange('concept drift width', this.width, 0, Number.MAX_SAFE_INTEGER);
    this.before = o.before;
    this.after = o.after;
    this.position = o.position;
    this.dim = o.before.dim;
    this.featureNames = o.before.featureNames;
    this.rng = new Rng(o.seed ?? 1);
  }

  /** Probability that event t (0-based) comes from the new concept. */
  probabilityAfter(t: number): number {
    if (this.width === 0) return t >= this.position ? 1 : 0;
    return 1 / (1 + Math.exp((-4 * (t - this.position)) / this.width));
  }

  nextInto(x: Float64Array): number {
    const pa = this.probabilityAfter(this.t++);
    const fromAfter = pa >= 1 || (pa > 0 && this.rng.next() < pa);
    this.lastFromAfter = fromAfter;
    return fromAfter ? this.after.nextInto(x) : this.before.nextInto(x);
  }
}
