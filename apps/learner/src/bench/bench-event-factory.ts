import { Rng } from '@logit-stream/kernel';

/** Settings of {@link BenchEventFactory}. */
export interface BenchEventFactoryOptions {
  /** Seed of the feature values and labels (same seed, same events). */
  readonly seed: number;
  /** Named features per event (default 20: `f00` … `f19`). */
  readonly features?: number;
}

/**
 * Makes the benchmark's events: SPEC §2 JSON with `features` named `f00`, `f01`, … (standard normal
 * values, 6 decimals) and a hard label drawn from a fixed logistic ground truth
 * P(y = 1 | x) = σ(w·x), w_j = (−1)^j · (1 + j mod 3) / 4, so a learner has something to learn.
 * Benchmark tooling, not a hot path: each call builds a string.
 *
 * @example
 * const f = new BenchEventFactory({ seed: 1 });
 * f.next('b-0', Date.now()) // '{"id":"b-0","ts":…,"features":{"f00":0.123456,…},"label":1}'
 */
export class BenchEventFactory {
  private readonly rng: Rng;
  private readonly names: string[];
  private readonly weights: Float64Array;

  constructor(o: BenchEventFactoryOptions) {
    const d = o.features ?? 20;
    this.rng = new Rng(o.seed);
    this.names = [];
    this.weights = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      this.names.push(`"f${String(j).padStart(2, '0')}":`);
      this.weights[j] = ((j % 2 === 0 ? 1 : -1) * (1 + (j % 3))) / 4;
    }
  }

  /**
   * One event as a JSON string.
   *
   * @param id - the event id (also used as the Kafka key by the bench)
   * @param ts - epoch milliseconds written as `ts` (the bench uses the produce time)
   */
  next(id: string, ts: number): string {
    let s = `{"id":${JSON.stringify(id)},"ts":${ts},"features":{`;
    let z = 0;
    for (let j = 0; j < this.names.length; j++) {
      const v = Math.round(this.rng.gaussian() * 1e6) / 1e6;
      z += this.weights[j] * v;
      s += (j === 0 ? '' : ',') + this.names[j] + v;
    }
    const y = this.rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    return `${s}},"label":${y}}`;
  }
}
