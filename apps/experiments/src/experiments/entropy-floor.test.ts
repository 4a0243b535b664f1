import { describe, expect, it } from 'vitest';
import { binaryEntropy } from '@logit-stream/kernel';
import { entropyFloorExperiment } from './entropy-floor.js';

describe('entropyFloorExperiment (quick)', () => {
  const r = entropyFloorExperiment({ quick: true });
  it('no event has L(z, target) < H(target) (tolerance 1e-12), on soft and smoothed targets', () => {
    for (const run of r.runs) expect(run.minExcess).toBeGreaterThan(-1e-12);
  });
  it('without smoothing the scores on the deterministic stream outgrow the ε = 0.1 optimum logit(0.95) by more than 50 %', () => {
    expect(r.runs[3].epsilon).toBe(0);
    expect(r.runs[3].maxAbsZLast).toBeGreaterThan(1.5 * Math.log(0.95 / 0.05));
  });
  it('the block-mean loss approaches the floor: excess in the last block below 0.02 nats and a tenth of the first block', () => {
    for (const run of r.runs) {
      const first = run.meanLoss[0] - run.meanEntropy[0];
      const last = run.meanLoss.at(-1)! - run.meanEntropy.at(-1)!;
      expect(last).toBeGreaterThanOrEqual(0);
      expect(last).toBeLessThan(0.02);
      expect(last).toBeLessThan(first / 10);
    }
  });
  it('with smoothing the floor is H(ε/2) and |z| stays below 1.5 · logit(1 − ε/2)', () => {
    for (const run of r.runs.slice(1, 3)) {
      expect(run.meanEntropy.at(-1)!).toBeCloseTo(binaryEntropy(run.epsilon / 2), 12);
      expect(run.maxAbsZLast).toBeLessThan(1.5 * Math.log((1 - run.epsilon / 2) / (run.epsilon / 2)));
    }
  });
});
