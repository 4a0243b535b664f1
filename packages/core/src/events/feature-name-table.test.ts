import { describe, expect, it } from 'vitest';
import { FeatureNameTable, PROBES_PER_FEATURE } from './feature-name-table.js';

const enc = new TextEncoder();

/** Lays names out one after the other in one message; returns the bytes and fills the table. */
function layout(t: FeatureNameTable, names: string[]): Uint8Array {
  const parts = names.map((n) => enc.encode(n));
  const b = new Uint8Array(parts.reduce((s, p) => s + p.length + 1, 0));
  let at = 0;
  parts.forEach((p, k) => {
    b.set(p, at);
    t.nameAt[k] = at;
    t.nameLen[k] = p.length;
    at += p.length + 1;
  });
  return b;
}

describe('FeatureNameTable.hasDuplicate', () => {
  it('finds a repeated name and only a repeated one (same slot, same bytes)', () => {
    const t = new FeatureNameTable(8);
    const names = ['a', 'b', 'c', 'a'];
    expect(t.hasDuplicate(layout(t, names), new Int32Array([1, 2, 3, 1]), 4)).toBe(true);
    expect(t.hasDuplicate(layout(t, ['a', 'b', 'c']), new Int32Array([1, 2, 3]), 3)).toBe(false);
  });

  it('a hash collision of different names is not a repeat; names of other lengths never match', () => {
    const t = new FeatureNameTable(8);
    expect(t.hasDuplicate(layout(t, ['ab', 'ba', 'abc', 'é']), new Int32Array([7, 7, 7, 7]), 4)).toBe(false);
    expect(t.hasDuplicate(layout(t, ['ab', 'ba', 'é', 'é']), new Int32Array([7, 7, 7, 7]), 4)).toBe(true);
  });

  it('agrees with a Set of names over 2000 random events with distinct-enough slots, on a reused table (stale entries never leak)', () => {
    const cap = 50;
    const t = new FeatureNameTable(cap);
    let s = 12345;
    const rnd = (n: number): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s % n;
    };
    let repeats = 0;
    for (let e = 0; e < 2000; e++) {
      const count = 1 + rnd(cap);
      const names = Array.from({ length: count }, () => `f${rnd(3 * count)}`);
      const slots = new Int32Array(names.map((n) => Number(n.slice(1)) * 7919)); // one slot per name, low bits shared by many
      const expected = new Set(names).size < names.length;
      if (expected) repeats++;
      expect(t.hasDuplicate(layout(t, names), slots, count)).toBe(expected);
    }
    expect(repeats).toBeGreaterThan(200);
    expect(repeats).toBeLessThan(1900);
  });

  it('with heavy collisions (3 slots) it never answers false for a repeat, and false only when there is none', () => {
    const t = new FeatureNameTable(50);
    let s = 99;
    const rnd = (n: number): number => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s % n;
    };
    for (let e = 0; e < 2000; e++) {
      const count = 1 + rnd(50);
      const names = Array.from({ length: count }, () => `f${rnd(3 * count)}`);
      const slots = new Int32Array(names.map((n) => n.length % 3));
      const repeat = new Set(names).size < names.length;
      const answer = t.hasDuplicate(layout(t, names), slots, count);
      if (repeat) expect(answer).toBe(true);
      if (!answer) expect(repeat).toBe(false);
    }
  });

  it(`answers "maybe" (true) instead of probing quadratically: 1000 distinct names on one slot exceed ${PROBES_PER_FEATURE} probes per feature`, () => {
    const t = new FeatureNameTable(1000);
    const names = Array.from({ length: 1000 }, (_, k) => `n${k}`);
    expect(t.hasDuplicate(layout(t, names), new Int32Array(1000).fill(42), 1000)).toBe(true);
    // a few features on one slot stay within the budget and get the exact answer
    expect(t.hasDuplicate(layout(t, ['a', 'b', 'c']), new Int32Array([42, 42, 42]), 3)).toBe(false);
  });

  it('a table of capacity 0 (a dense space) answers false for no features', () => {
    expect(new FeatureNameTable(0).hasDuplicate(new Uint8Array(0), new Int32Array(0), 0)).toBe(false);
  });
});
