import { describe, expect, it } from 'vitest';
import { benchCases, makeEvents, measureThroughput } from './throughput.js';

describe('bench measurement', () => {
  it('returns positive finite rates for every optimiser on a tiny run (not a timing assertion)', () => {
    const tiny = { ...benchCases(true)[0], distinct: 64, events: 2000 };
    const opts = ['baseline', 'sgd', 'adagrad', 'ftrl', 'sgd-nc', 'adagrad-nc', 'ftrl-nc'] as const;
    const results = measureThroughput(tiny, opts, 2);
    expect(results.map((r) => r.optimizer)).toEqual([...opts]);
    for (const r of results) {
      for (const v of [r.learnPerSec, r.predictPerSec, r.learnPerCpuSec, r.predictPerCpuSec]) expect(Number.isFinite(v) && v > 0).toBe(true);
    }
  });

  it('pre-generates events of the right shape with distinct indices', () => {
    const c = { ...benchCases(true)[0], distinct: 50 };
    const { xs, ys } = makeEvents(c);
    expect(xs.length).toBe(50);
    for (const x of xs) {
      expect(x.nnz).toBe(20);
      expect(new Set(x.idx).size).toBe(20);
      expect(Math.max(...x.idx)).toBeLessThan(c.dim);
    }
    expect(ys.every((y) => y === 0 || y === 1)).toBe(true);
    const d = makeEvents({ ...benchCases(true)[2], distinct: 3 });
    expect(Array.from(d.xs[0].idx)).toEqual(Array.from({ length: 100 }, (_, j) => j));
  });
});
