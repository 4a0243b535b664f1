import { describe, expect, it } from 'vitest';
import { Rng, shuffleInPlace } from '../index.js';

// The @example blocks of random/, run as written.
describe('random/ doc examples', () => {
  it('Rng', () => {
    const rng = new Rng(42);
    const u = rng.next();
    const k = rng.nextInt(6);
    const g = rng.gaussian();
    const copy = new Rng(0);
    copy.fromState(rng.toState());
    expect(u >= 0 && u < 1).toBe(true);
    expect(Number.isInteger(k) && k >= 0 && k <= 5).toBe(true);
    expect(Number.isFinite(g)).toBe(true);
    expect(copy.next()).toBe(rng.next());
    expect(Rng.fromWords(1, 2, 3, 4).nextUint32()).toBe(11520);
    const r = new Rng(1).nextInt(10);
    expect(r >= 0 && r < 10).toBe(true);
  });

  it('shuffleInPlace', () => {
    const a = shuffleInPlace([1, 2, 3, 4], new Rng(7));
    expect([...a].sort()).toEqual([1, 2, 3, 4]);
    expect(shuffleInPlace([1, 2, 3, 4], new Rng(7))).toEqual(a);
  });
});
