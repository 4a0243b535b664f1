import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors/index.js';
import { ConceptDrift } from './concept-drift.js';
import { SeaGenerator } from './sea-generator.js';
import type { StreamGenerator } from './stream-generator.js';

/** A test double: a concept that always answers `label` and writes it as its one feature. */
function constant(label: number, dim = 1): StreamGenerator {
  return {
    dim,
    featureNames: ['c'],
    nextInto(x: Float64Array) {
      x[0] = label;
      return label;
    },
  };
}

describe('ConceptDrift', () => {
  it('abrupt (width 0): events before the position come from `before`, from it on from `after`', () => {
    const d = new ConceptDrift({ before: constant(0), after: constant(1), position: 100 });
    const x = new Float64Array(1);
    const ys: number[] = [];
    for (let i = 0; i < 200; i++) ys.push(d.nextInto(x));
    expect(ys.slice(0, 100).every((y) => y === 0)).toBe(true);
    expect(ys.slice(100).every((y) => y === 1)).toBe(true);
  });

  it('gradual: the share from the new concept follows 1/(1+e^(−4(t−p)/w)) within 5 binomial sd', () => {
    const p = 5000;
    const w = 2000;
    const d = new ConceptDrift({ before: constant(0), after: constant(1), position: p, width: w, seed: 3 });
    const x = new Float64Array(1);
    const block = 500;
    for (let start = 0; start < 10_000; start += block) {
      let got = 0;
      let expected = 0;
      let variance = 0;
      for (let t = start; t < start + block; t++) {
        got += d.nextInto(x);
        const q = 1 / (1 + Math.exp((-4 * (t - p)) / w));
        expect(d.probabilityAfter(t)).toBeCloseTo(q, 15);
        expected += q;
        variance += q * (1 - q);
      }
      expect(Math.abs(got - expected)).toBeLessThanOrEqual(5 * Math.sqrt(variance) + 1);
    }
  });

  it('refuses concepts of different dimension, naming both', () => {
    expect(() => new ConceptDrift({ before: constant(0, 1), after: new SeaGenerator(), position: 10 })).toThrow(
      CoreError,
    );
    expect(() => new ConceptDrift({ before: constant(0, 1), after: new SeaGenerator(), position: 10 })).toThrow(
      /1 and 3 features/,
    );
  });
});
