import { sigmoid } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { LogisticStream } from './logistic-stream.js';

describe('LogisticStream', () => {
  it('draws labels with P(y = 1 | x) = σ(w·x + b): in each probability decile the positive rate is within 5 sd of the mean p', () => {
    const s = new LogisticStream({ dim: 4, seed: 3 });
    const x = new Float64Array(4);
    const n = 60_000;
    const sumY = new Float64Array(10);
    const sumP = new Float64Array(10);
    const cnt = new Float64Array(10);
    let maxDiff = 0;
    for (let t = 0; t < n; t++) {
      const y = s.nextInto(x);
      let z = s.bias;
      for (let i = 0; i < 4; i++) z += s.weights[i] * x[i];
      maxDiff = Math.max(maxDiff, Math.abs(sigmoid(z) - s.lastP));
      const b = Math.min(9, Math.floor(s.lastP * 10));
      sumY[b] += y;
      sumP[b] += s.lastP;
      cnt[b]++;
    }
    expect(maxDiff).toBeLessThan(1e-15);
    for (let b = 0; b < 10; b++) {
      if (cnt[b] < 500) continue;
      const p = sumP[b] / cnt[b];
      expect(Math.abs(sumY[b] / cnt[b] - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / cnt[b]) + 1e-3);
    }
  });

  it('scales the true weights to norm scoreScale and repeats by seed', () => {
    const a = new LogisticStream({ dim: 6, scoreScale: 3, seed: 9 });
    const norm = Math.sqrt(a.weights.reduce((s, w) => s + w * w, 0));
    expect(Math.abs(norm - 3)).toBeLessThan(1e-12);
    const b = new LogisticStream({ dim: 6, scoreScale: 3, seed: 9 });
    const xa = new Float64Array(6);
    const xb = new Float64Array(6);
    for (let t = 0; t < 100; t++) expect(a.nextInto(xa)).toBe(b.nextInto(xb));
    expect(Array.from(xa)).toEqual(Array.from(xb));
  });
});
