import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { OnlineLearner } from '@logit-stream/core';
import { fillDenseEvent } from './fill-dense-event.js';
import { flipLabels } from './flip-labels.js';
import { loadCsvDataset } from './load-csv-dataset.js';
import { logisticData } from './logistic-data.js';
import { separableGaussian } from './separable-gaussian.js';
import { soudryDataset } from './soudry-dataset.js';
import { trainTestSplit } from './train-test-split.js';

describe('generated data', () => {
  it('soudryDataset has the two support vectors, their negatives and 12 points off the margin', () => {
    const ds = soudryDataset(1);
    expect(ds.rows).toBe(16);
    expect(Array.from(ds.X.slice(0, 8))).toEqual([0.5, 1.5, 1.5, 0.5, -0.5, -1.5, -1.5, -0.5]);
    for (let i = 4; i < 16; i++) {
      const s = ds.X[2 * i] + ds.X[2 * i + 1];
      expect(ds.y[i] === 1 ? s : -s).toBeGreaterThanOrEqual(2.5);
    }
  });
  it('separableGaussian keeps |u·x| ≥ gap: both classes present, deterministic by seed', () => {
    const a = separableGaussian(300, 4, 0.2, 5);
    const b = separableGaussian(300, 4, 0.2, 5);
    expect(a.X).toEqual(b.X);
    const pos = a.y.reduce((s, v) => s + v, 0);
    expect(pos).toBeGreaterThan(100);
    expect(pos).toBeLessThan(200);
  });
  it('logisticData: Bernoulli labels match pTrue on average (within 4 standard errors)', () => {
    const ds = logisticData({ n: 20_000, d: 3, seed: 3 });
    let sy = 0;
    let sp = 0;
    for (let i = 0; i < ds.rows; i++) {
      sy += ds.y[i];
      sp += ds.pTrue?.[i] ?? 0;
    }
    expect(Math.abs(sy - sp)).toBeLessThan(4 * Math.sqrt(ds.rows * 0.25));
  });
});

describe('flipLabels and trainTestSplit', () => {
  it('flips 0 → 1 at ρ0 and 1 → 0 at ρ1 (within 4 standard errors on 20 000 labels)', () => {
    const clean = new Float64Array(20_000);
    for (let i = 0; i < 10_000; i++) clean[i] = 1;
    const noisy = flipLabels(clean, 0.3, 0.1, 9);
    let f1 = 0;
    let f0 = 0;
    for (let i = 0; i < 10_000; i++) f1 += 1 - noisy[i];
    for (let i = 10_000; i < 20_000; i++) f0 += noisy[i];
    expect(Math.abs(f0 / 10_000 - 0.3)).toBeLessThan(4 * Math.sqrt(0.21 / 10_000));
    expect(Math.abs(f1 / 10_000 - 0.1)).toBeLessThan(4 * Math.sqrt(0.09 / 10_000));
  });
  it('trainTestSplit partitions 0..n−1', () => {
    const s = trainTestSplit(101, 0.3, 4);
    const all = [...s.train, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect(s.test.length).toBe(30);
  });
});

describe('loadCsvDataset and fillDenseEvent', () => {
  const path = '../../../shared/data/pima_diabetes.csv';
  it('loads pima (768 rows, 8 features, 268 positives) and feeds the learner', () => {
    const ds = loadCsvDataset(path, 'pima');
    expect(ds.rows).toBe(768);
    expect(ds.dim).toBe(8);
    expect(ds.y.reduce((a, b) => a + b, 0)).toBe(268);
    const learner = new OnlineLearner({ features: { kind: 'dense', dim: 8 }, drift: { detectors: [] } });
    const ev = learner.newEvent();
    const out = learner.newScore();
    fillDenseEvent(ev, ds.X, 0, ds.dim, ds.y[0]);
    learner.process(ev, out);
    expect(learner.modelVersion).toBe(1);
  });
  it('says where the data should be when the file is missing', () => {
    expect(() => loadCsvDataset('/nonexistent/x.csv', 'x')).toThrow(/--data-dir/);
  });
});
