import { Rng } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { trainTestSplit } from './train-test-split.js';

describe('trainTestSplit', () => {
  it('partitions 0..n-1 into a held-out part of round(f * n) rows and a training part', () => {
    const { train, test } = trainTestSplit(569, 0.3, new Rng(1));
    expect(test.length).toBe(171);
    expect(train.length).toBe(398);
    const all = [...train, ...test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 569 }, (_, i) => i));
  });

  it('shuffles: a class-sorted file gives both classes in both parts, and seeds differ', () => {
    const n = 1000;
    const a = trainTestSplit(n, 0.3, new Rng(7));
    const firstHalfInTest = Array.from(a.test).filter((i) => i < n / 2).length;
    expect(firstHalfInTest).toBeGreaterThan(100);
    expect(firstHalfInTest).toBeLessThan(200);
    const b = trainTestSplit(n, 0.3, new Rng(8));
    expect(Array.from(a.test)).not.toEqual(Array.from(b.test));
    expect(Array.from(trainTestSplit(n, 0.3, new Rng(7)).train)).toEqual(Array.from(a.train));
  });

  it('refuses a test fraction of 1', () => {
    expect(() => trainTestSplit(10, 1, new Rng(1))).toThrow(/test fraction 1/);
  });
});
