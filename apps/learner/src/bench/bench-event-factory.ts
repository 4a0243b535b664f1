import { encodeBinaryEvent } from '@logit-stream/core';
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
 * Benchmark tooling, not a hot path: each call builds a string ({@link BenchEventFactory.nextBinary}: a
 * Buffer in the binary event encoding, the same event).
 *
 * @example
 * const f = new BenchEventFactory({ seed: 1 });
 * f.next('b-0', Date.now()) // '{"id":"b-0","ts":…,"features":{"f00":0.123456,…},"label":1}'
 */
export class BenchEventFactory {
  private readonly rng: Rng;
  private readonly names: string[];
  private readonly weights: Float64Array;
  /** The features of the last binary event, reused: `f00` … in order. */
  private readonly values: Record<string, number> = {};

  constructor(o: BenchEventFactoryOptions) {
    const d = o.features ?? 20;
    this.rng = new Rng(o.seed);
    this.names = [];
    this.weights = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const name = `f${String(j).padStart(2, '0')}`;
      this.names.push(`"${name}":`);
      this.values[name] = 0;
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

  /**
   * The same event as {@link next} would make here (same draws: the two may be mixed on one factory),
   * in the binary event encoding (docs/event-encoding.md), for benchmarking the learner's binary path.
   *
   * @param id - the event id
   * @param ts - epoch milliseconds written as `ts`
   * @returns the message value (a Buffer viewing the encoded bytes)
   * @example
   * new BenchEventFactory({ seed: 1 }).nextBinary('b-0', Date.now())[0] // 0xb1
   */
  nextBinary(id: string, ts: number): Buffer {
    const values = this.values;
    let z = 0;
    let j = 0;
    for (const name in values) {
      const v = Math.round(this.rng.gaussian() * 1e6) / 1e6;
      z += this.weights[j++] * v;
      values[name] = v;
    }
    const y = this.rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    const bytes = encodeBinaryEvent({ id, ts, features: values, label: y });
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  }
}
