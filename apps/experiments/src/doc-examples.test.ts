import { describe, expect, it } from 'vitest';
import { Rng } from '@logit-stream/kernel';
import {
  categoricalData,
  escapeXml,
  flipLabels,
  fmt,
  formatTick,
  heldOutMetrics,
  kktResiduals,
  linearTicks,
  logTicks,
  markdownTable,
  meanSd,
  nnls,
  px,
  renderReport,
  SCALE_OUT_STREAMS,
  separableGaussian,
  simulateScaleOut,
  shuffled,
  solveHardMarginSvm,
  soudryDataset,
  trainTestSplit,
} from './index.js';

// The @example lines of the doc comments, run as written.
describe('doc-comment examples', () => {
  it('svg helpers', () => {
    expect(linearTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(logTicks(3, 2000)).toEqual([1, 10, 100, 1000, 10000]);
    expect(formatTick(0.25, false)).toBe('0.25');
    expect(formatTick(1e6, true)).toBe('10⁶');
    expect(escapeXml('a < b')).toBe('a &lt; b');
    expect(px(1 / 3)).toBe('0.33');
  });
  it('report helpers', () => {
    expect(markdownTable(['a', 'b'], [['x', '1']])).toBe('| a | b |\n| :-- | --: |\n| x | 1 |');
    expect(fmt(0.123456)).toBe('0.123');
    expect(fmt(1.5e-11)).toBe('1.50e-11');
    expect(meanSd([1, 2, 3])).toBe('2 ± 1');
    expect(renderReport([{ id: 'x', title: 'X', setup: ['s'], figures: [], tables: [], shows: ['y'] }]).startsWith('# ')).toBe(true);
  });
  it('svm and nnls', () => {
    const s = solveHardMarginSvm(Float64Array.from([1, 1, -1, -1]), Float64Array.from([1, -1]), 2);
    expect(Array.from(s.w)).toEqual([0.5, 0.5]);
    expect(
      kktResiduals(Float64Array.from([1, 1, -1, -1]), Float64Array.from([1, -1]), 2, Float64Array.from([0.5, 0.5]), Float64Array.from([0.25, 0.25])).primal,
    ).toBe(0);
    expect(Array.from(nnls(Float64Array.from([1, 0, 0, 1]), 2, 2, Float64Array.from([1, -1])).u)).toEqual([1, 0]);
  });
  it('data helpers', () => {
    expect(soudryDataset(1).rows).toBe(16);
    expect(separableGaussian(100, 5, 0.1, 1).rows).toBe(100);
    expect(categoricalData(10, 4, 1).dim).toBe(4);
    expect(Array.from(flipLabels(Float64Array.from([0, 1]), 0, 0, 1))).toEqual([0, 1]);
    expect(trainTestSplit(10, 0.3, 1).test.length).toBe(3);
    expect(shuffled(Int32Array.from([0, 1, 2]), new Rng(1)).length).toBe(3);
    expect(heldOutMetrics([1, 0], [0.9, 0.2]).accuracy).toBe(1);
  });
  it('scale-out simulation', () => {
    const r = simulateScaleOut({ stream: SCALE_OUT_STREAMS[0], events: 3000, replicas: 3, partitioning: 'round-robin',
      rule: 'average', mixEvery: 100, learningRate: 0.05, seed: 1 });
    expect(r.learned).toEqual([1000, 1000, 1000]);
  });
});
