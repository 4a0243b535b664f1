import { describe, expect, it } from 'vitest';
import { KernelError } from '../errors.js';
import { murmur3 } from '../hashing/murmur3.js';
import { FeatureHasher } from './feature-hasher.js';

describe('FeatureHasher', () => {
  it('maps a name to murmur3(name, seed) & (2^bits − 1)', () => {
    const h = new FeatureHasher({ bits: 18, seed: 42 });
    expect(h.dim).toBe(262144);
    for (const name of ['word:free', 'age', 'ünï', '😀', '']) {
      expect(h.index(name)).toBe(murmur3(name, 42) % 262144);
    }
    // 'foo' hashes to 0xf6a5c420 with seed 0 (mmh3); its low 18 bits are 0x1c420
    expect(new FeatureHasher({ bits: 18 }).index('foo')).toBe(0x1c420);
  });

  it('spreads names roughly uniformly over the slots (chi-square over 16 slots, 16000 names)', () => {
    const h = new FeatureHasher({ bits: 4, seed: 0 });
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 16000; i++) counts[h.index(`f${i}`)]++;
    const chi2 = counts.reduce((s, c) => s + (c - 1000) ** 2 / 1000, 0);
    expect(chi2).toBeLessThan(37.7); // 99.9% quantile of chi-square with 15 degrees of freedom
  });

  it('works at the extreme sizes and rejects impossible settings', () => {
    expect(new FeatureHasher({ bits: 1 }).index('a')).toBe(murmur3('a', 0) & 1);
    expect(new FeatureHasher({ bits: 30, seed: 0xffffffff }).index('a')).toBe(murmur3('a', 0xffffffff) & (2 ** 30 - 1));
    expect(() => new FeatureHasher({ bits: 0 })).toThrow(KernelError);
    expect(() => new FeatureHasher({ bits: 31 })).toThrow(/\[1, 30\]/);
    expect(() => new FeatureHasher({ bits: 18.5 })).toThrow(KernelError);
    expect(() => new FeatureHasher({ bits: 18, seed: -1 })).toThrow(/seed/);
  });
});
