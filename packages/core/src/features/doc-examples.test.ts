import { murmur3, SparseVector } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { FeatureSpace } from './index.js';

/** The @example blocks of this folder's doc comments, run as written. */
describe('features doc examples', () => {
  it('FeatureSpace', () => {
    const space = new FeatureSpace({ kind: 'hashed', bits: 18, seed: 0 });
    expect(space.dim).toBe(262144);
    expect(space.indexOfName('age')).toBe(murmur3('age', 0) & 262143);
    expect(new FeatureSpace({ kind: 'dense', dim: 4 }).indexOfName('3')).toBe(3);
    expect(new FeatureSpace({ kind: 'dense', dim: 4 }).indexOfName('04')).toBe(-1);
  });

  it('canonicalize', () => {
    const x = new SparseVector(3);
    x.push(5, 1);
    x.push(2, 0.5);
    x.push(5, 2);
    new FeatureSpace({ kind: 'dense', dim: 8 }).canonicalize(x);
    expect([x.nnz, x.idx[0], x.val[0], x.idx[1], x.val[1]]).toEqual([2, 5, 3, 2, 0.5]);
  });
});
