import { Rng } from '@logit-stream/kernel';
import { checkInt, checkRange } from './check-options.js';
import type { StreamGenerator } from './stream-generator.js';

/** SEA's thresholds θ for concepts 1–4 (Street & Kim, 2001). */
export const SEA_THRESHOLDS: readonly number[] = [8, 9, 7, 9.5];

/** Settings of {@link SeaGenerator}. */
export interface SeaOptions {
  /** Concept 1–4, i.e. θ = 8, 9, 7, 9.5 (default 1). */
  readonly concept?: number;
  /** Probability of flipping each label (default 0.1, as in MOA). */
  readonly noise?: number;
  /** Seed of the generator's own Rng (default 1). */
  readonly seed?: number;
}

/**
 * The SEA concepts stream (Street & Kim, "A streaming ensemble algorithm (SEA) for large-scale
 * classification", KDD 2001; MOA's SEAGenerator): three features uniform in [0, 10), only the first
 * two matter; label 0 if x1 + x2 ≤ θ, else 1; each label flipped with probability `noise`.
 * `setConcept` switches θ in place (abrupt drift).
 *
 * @example
 * const sea = new SeaGenerator({ concept: 2, noise: 0, seed: 7 });
 * const x = new Float64Array(3);
 * const y = sea.nextInto(x); // y === (x[0] + x[1] > 9 ? 1 : 0)
 */
export class SeaGenerator implements StreamGenerator {
  readonly dim = 3;
  readonly featureNames: readonly string[] = ['x1', 'x2', 'x3'];
  readonly noise: number;
  private threshold: number;
  private conceptIndex: number;
  private readonly rng: Rng;

  constructor(o: SeaOptions = {}) {
    const concept = o.concept ?? 1;
    checkInt('SEA concept', concept, 1, 4);
    this.noise = o.noise ?? 0.1;
    checkRange('SEA noise', this.noise, 0, 1);
    this.rng = new Rng(o.seed ?? 1);
    this.conceptIndex = concept;
    this.threshold = SEA_THRESHOLDS[concept - 1];
  }

  /** The current concept, 1–4. */
  get concept(): number {
    return this.conceptIndex;
  }

  /** The current threshold θ. */
  get theta(): number {
    return this.threshold;
  }

  /** Switches to concept 1–4 (θ = 8, 9, 7, 9.5). */
  setConcept(concept: number): void {
    checkInt('SEA concept', concept, 1, 4);
    this.conceptIndex = concept;
    this.threshold = SEA_THRESHOLDS[concept - 1];
  }

  nextInto(x: Float64Array): number {
    const rng = this.rng;
    const x1 = 10 * rng.next();
    const x2 = 10 * rng.next();
    x[0] = x1;
    x[1] = x2;
    x[2] = 10 * rng.next();
    let y = x1 + x2 <= this.threshold ? 0 : 1;
    if (this.noise > 0 && rng.next() < this.noise) y = 1 - y;
    return y;
  }
}
