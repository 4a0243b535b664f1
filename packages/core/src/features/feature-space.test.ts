import { FeatureHasher, murmur3, SparseVector } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors/index.js';
import { FeatureSpace, INDEX_OUT_OF_RANGE, NOT_AN_INDEX } from './feature-space.js';

describe('FeatureSpace', () => {
  it('hashes names with the kernel FeatureHasher (murmur3 & (2^bits − 1))', () => {
    const space = new FeatureSpace({ kind: 'hashed', bits: 10, seed: 7 });
    expect(space.dim).toBe(1024);
    expect(space.kind).toBe('hashed');
    const h = new FeatureHasher({ bits: 10, seed: 7 });
    for (const name of ['age', 'word:free', '', 'é', '3']) {
      expect(space.indexOfName(name)).toBe(h.index(name));
      expect(space.indexOfName(name)).toBe(murmur3(name, 7) & 1023);
    }
    expect(new FeatureSpace({ kind: 'hashed', bits: 18 }).options).toEqual({ kind: 'hashed', bits: 18, seed: 0 });
  });

  it('maps canonical decimal names to columns in a dense space and refuses the rest', () => {
    const space = new FeatureSpace({ kind: 'dense', dim: 20 });
    expect(space.dim).toBe(20);
    expect(space.indexOfName('0')).toBe(0);
    expect(space.indexOfName('19')).toBe(19);
    expect(space.indexOfName('20')).toBe(INDEX_OUT_OF_RANGE);
    expect(space.indexOfName('99999999999999999999999')).toBe(INDEX_OUT_OF_RANGE);
    for (const bad of ['', '01', '00', '-1', '+1', ' 1', '1 ', '1.0', '1e1', 'age', '١']) {
      expect(space.indexOfName(bad), bad).toBe(NOT_AN_INDEX);
    }
  });

  it('refuses settings out of range with CoreError bad-option', () => {
    const bad = (o: unknown, re: RegExp) => {
      expect(() => new FeatureSpace(o as never)).toThrow(CoreError);
      expect(() => new FeatureSpace(o as never)).toThrow(re);
    };
    bad({ kind: 'hashed', bits: 0, seed: 0 }, /features\.bits 0 must be an integer in \[1, 30\]/);
    bad({ kind: 'hashed', bits: 31, seed: 0 }, /features\.bits 31/);
    bad({ kind: 'hashed', bits: 18, seed: -1 }, /features\.seed -1/);
    bad({ kind: 'dense', dim: 0 }, /features\.dim 0 must be an integer in \[1, 2\^30\]/);
    bad({ kind: 'dense', dim: 2.5 }, /features\.dim 2\.5/);
    bad({ kind: 'sparse' }, /features\.kind "sparse" must be "hashed" or "dense"/);
  });

  it('canonicalize merges duplicates in place, summing values, first-occurrence order', () => {
    const space = new FeatureSpace({ kind: 'dense', dim: 8 });
    const x = new SparseVector(6);
    for (const [i, v] of [[5, 1], [2, 0.5], [5, 2], [7, -1], [2, 0.25], [5, 4]] as const) x.push(i, v);
    space.canonicalize(x);
    expect(x.nnz).toBe(3);
    expect(Array.from(x.idx.subarray(0, 3))).toEqual([5, 2, 7]);
    expect(Array.from(x.val.subarray(0, 3))).toEqual([7, 0.75, -1]);
  });

  it('canonicalize leaves its scratch table clean: random vectors agree with a Map-based reference', () => {
    const space = new FeatureSpace({ kind: 'hashed', bits: 4, seed: 0 });
    const x = new SparseVector(40);
    let s = 1;
    const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647);
    for (let t = 0; t < 500; t++) {
      x.clear();
      const n = Math.floor(rnd() * 40);
      const ref = new Map<number, number>();
      for (let k = 0; k < n; k++) {
        const i = Math.floor(rnd() * 16);
        const v = Math.round(rnd() * 8) / 4; // exact in binary, so sums are order-independent
        x.push(i, v);
        ref.set(i, (ref.get(i) ?? 0) + v);
      }
      space.canonicalize(x);
      expect(x.nnz).toBe(ref.size);
      const got = new Map<number, number>();
      for (let k = 0; k < x.nnz; k++) got.set(x.idx[k], x.val[k]);
      expect(got).toEqual(ref);
      expect(Array.from(x.idx.subarray(0, x.nnz))).toEqual([...ref.keys()]);
      expect(x.isDense).toBe([...ref.keys()].every((i, k) => i === k));
    }
  });

  it('canonicalize keeps isDense exact: a merge can make a vector dense, and a dense one is left as it is', () => {
    const space = new FeatureSpace({ kind: 'hashed', bits: 4, seed: 0 });
    const x = new SparseVector(8);
    for (const [i, v] of [[0, 1], [1, 2], [0, 3], [2, 4], [1, 5]] as const) x.push(i, v);
    expect(x.isDense).toBe(false);
    space.canonicalize(x);
    expect(x.isDense).toBe(true);
    expect(Array.from(x.idx.subarray(0, x.nnz))).toEqual([0, 1, 2]);
    expect(Array.from(x.val.subarray(0, x.nnz))).toEqual([4, 7, 4]);
    space.canonicalize(x); // dense: unchanged
    expect(Array.from(x.val.subarray(0, x.nnz))).toEqual([4, 7, 4]);
    x.clear();
    for (const [i, v] of [[3, 1], [0, 1], [3, 1]] as const) x.push(i, v);
    space.canonicalize(x); // the scratch table is still clean after the early return
    expect(Array.from(x.idx.subarray(0, x.nnz))).toEqual([3, 0]);
    expect(Array.from(x.val.subarray(0, x.nnz))).toEqual([2, 1]);
    expect(x.isDense).toBe(false);
  });

  it('canonicalize keeps explicit zeros and handles an empty vector', () => {
    const space = new FeatureSpace({ kind: 'dense', dim: 3 });
    const x = new SparseVector(3);
    space.canonicalize(x);
    expect(x.nnz).toBe(0);
    x.push(0, 0);
    x.push(1, 0);
    space.canonicalize(x);
    expect(x.nnz).toBe(2);
  });
});
