import { describe, expect, it } from 'vitest';
import { KernelError } from '../errors.js';
import { SparseVector } from '../features/sparse-vector.js';
import { makeDenseStream } from '../optim/test-stream.js';
import { StandardScaler } from './standard-scaler.js';

function rows(count: number, dim: number): number[][] {
  let seed = 5;
  const rnd = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  // column j: offset 10^j, spread j + 0.5; the last column is constant
  return Array.from({ length: count }, () =>
    Array.from({ length: dim }, (_, j) => (j === dim - 1 ? 42.5 : 10 ** j + (rnd() - 0.5) * (j + 0.5))),
  );
}

function load(x: SparseVector, row: readonly number[]): SparseVector {
  x.clear();
  for (let j = 0; j < row.length; j++) x.push(j, row[j]);
  return x;
}

describe('StandardScaler', () => {
  it('runs its doc example', () => {
    const s = new StandardScaler({ dim: 1 });
    const x = new SparseVector(1);
    for (const v of [1, 3]) s.learnOne(load(x, [v]));
    s.transformInPlace(load(x, [4]));
    expect(x.val[0]).toBe(2);
  });

  it('has the two-pass mean and population variance per coordinate and standardises with them (1e-9 relative)', () => {
    const dim = 5;
    const data = rows(2000, dim);
    const s = new StandardScaler({ dim });
    const x = new SparseVector(dim);
    for (const r of data) s.learnOne(load(x, r));
    for (let j = 0; j < dim; j++) {
      const col = data.map((r) => r[j]);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const variance = col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length;
      expect(s.countOf(j)).toBe(2000);
      expect(Math.abs(s.meanOf(j) - mean)).toBeLessThanOrEqual(1e-12 * Math.abs(mean));
      expect(Math.abs(s.varianceOf(j) - variance)).toBeLessThanOrEqual(1e-9 * variance + 1e-20);
    }
    s.transformInPlace(load(x, data[7]));
    for (let j = 0; j < dim - 1; j++) {
      const want = (data[7][j] - s.meanOf(j)) / Math.sqrt(s.varianceOf(j));
      expect(Math.abs(x.val[j] - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
    }
    expect(x.val[dim - 1]).toBe(0); // the constant column maps to 0, not NaN
    // standardised data has mean ≈ 0 and variance ≈ 1 per non-constant coordinate
    const z = data.map((r) => {
      s.transformInPlace(load(x, r));
      return Array.from(x.val);
    });
    for (let j = 0; j < dim - 1; j++) {
      const m = z.reduce((a, r) => a + r[j], 0) / z.length;
      const v = z.reduce((a, r) => a + (r[j] - m) ** 2, 0) / z.length;
      expect(Math.abs(m)).toBeLessThan(1e-9);
      expect(Math.abs(v - 1)).toBeLessThan(1e-9);
    }
  });

  it('maps the first event and never-seen coordinates to 0 (no spread yet, no information)', () => {
    const s = new StandardScaler({ dim: 3 });
    const x = new SparseVector(3);
    s.learnOne(load(x, [5, -2, 7]));
    s.transformInPlace(load(x, [5, -2, 7]));
    expect(Array.from(x.val)).toEqual([0, 0, 0]);
    const fresh = new StandardScaler({ dim: 2 });
    const y = new SparseVector(2);
    fresh.transformInPlace(load(y, [3, -1]));
    expect(Array.from(y.val)).toEqual([0, 0]);
  });

  it('round-trips its state exactly: identical next outputs', () => {
    const dim = 4;
    const data = rows(300, dim);
    const a = new StandardScaler({ dim });
    const x = new SparseVector(dim);
    for (let t = 0; t < 150; t++) a.learnOne(load(x, data[t]));
    const b = new StandardScaler({ dim });
    b.fromState(a.toState());
    const y = new SparseVector(dim);
    for (let t = 150; t < 300; t++) {
      a.transformInPlace(load(x, data[t]));
      b.transformInPlace(load(y, data[t]));
      expect(Array.from(y.val)).toEqual(Array.from(x.val));
      a.learnOne(load(x, data[t]));
      b.learnOne(load(y, data[t]));
    }
    expect(() => b.fromState(new StandardScaler({ dim: 5 }).toState())).toThrow(/length 4/);
    expect(() => new StandardScaler({ dim: 0 })).toThrow(KernelError);
  });

  it('mix of two scalers with equal counts and weights equals one scaler fed both sets (mean and variance 1e-12 relative); weights 1:0 change nothing', () => {
    const dim = 4;
    const all = rows(1200, dim);
    const a = new StandardScaler({ dim });
    const b = new StandardScaler({ dim });
    const both = new StandardScaler({ dim });
    const x = new SparseVector(dim);
    all.forEach((r, t) => {
      // b sees shifted values, so the two means differ
      const row = t < 600 ? r : r.map((v) => v * 1.5 + 3);
      (t < 600 ? a : b).learnOne(load(x, row));
      both.learnOne(load(x, row));
    });
    const before = [a.meanOf(1), a.varianceOf(1)];
    a.mix(1, [b.toState()], [0]);
    expect([a.meanOf(1), a.varianceOf(1)]).toEqual(before);
    a.mix(1, [b.toState()], [1]);
    for (let j = 0; j < dim; j++) {
      expect(Math.abs(a.meanOf(j) - both.meanOf(j))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(both.meanOf(j))));
      expect(Math.abs(a.varianceOf(j) - both.varianceOf(j))).toBeLessThanOrEqual(1e-12 * Math.max(1, both.varianceOf(j)));
      expect(a.countOf(j)).toBe(600);
    }
    expect(() => a.mix(1, [new StandardScaler({ dim: 3 }).toState()], [1])).toThrow(/dim 4/);
  });

  it('gives identical statistics and standardised values (===) through its dense loop and its indexed loop; values written in place keep isDense', () => {
    const dim = 12;
    const { xs, ixs } = makeDenseStream(2000, dim, 37, true); // rows of 1..12 leading columns
    const a = new StandardScaler({ dim });
    const b = new StandardScaler({ dim });
    const va: number[] = [];
    const vb: number[] = [];
    for (let t = 0; t < xs.length; t++) {
      const learnFirst = t % 2 === 0; // both orders, so counts of 0 and 1 reach transformInPlace
      if (learnFirst) {
        a.learnOne(xs[t]);
        b.learnOne(ixs[t]);
      }
      a.transformInPlace(xs[t]);
      b.transformInPlace(ixs[t]);
      if (!learnFirst) {
        a.learnOne(xs[t]);
        b.learnOne(ixs[t]);
      }
      for (let k = 0; k < xs[t].nnz; k++) {
        va.push(xs[t].val[k]);
        vb.push(ixs[t].val[k]);
      }
    }
    expect(xs.every((x) => x.isDense) && ixs.every((x) => !x.isDense)).toBe(true);
    expect(va).toEqual(vb);
    expect(a.toState()).toEqual(b.toState());
    expect(a.countOf(0)).toBe(2000);
    expect(a.countOf(dim - 1)).toBeLessThan(400); // the prefixes give the columns different counts
  });
});
