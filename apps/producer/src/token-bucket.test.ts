import { describe, expect, it } from 'vitest';
import { ProducerError } from './producer-error.js';
import { TokenBucket } from './token-bucket.js';

/** A fake clock the test advances by hand: no real time passes. */
function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('TokenBucket', () => {
  it('starts full, then makes each further batch wait exactly n/rate seconds', () => {
    const c = fakeClock();
    const b = new TokenBucket({ rate: 1000, burst: 10, clock: c.now });
    expect(b.reserve(10)).toBe(0);
    expect(b.reserve(10)).toBeCloseTo(10, 12); // 10 events at 1000/s: 10 ms (exact up to rounding)
    c.advance(10);
    expect(b.reserve(5)).toBeCloseTo(5, 12);
  });

  it('a caller that waits as told runs at the rate on average (within burst/T)', () => {
    const c = fakeClock();
    const rate = 2500;
    const b = new TokenBucket({ rate, burst: 50, clock: c.now });
    let sent = 0;
    while (c.now() < 10_000) {
      c.advance(b.reserve(25));
      sent += 25;
    }
    // Over 10 s: rate·10 + burst at most; and no less than rate·10 (it never waits longer than needed).
    expect(sent).toBeLessThanOrEqual(rate * 10 + 50 + 25);
    expect(sent).toBeGreaterThanOrEqual(rate * 10);
  });

  it('idle time accrues tokens only up to the burst', () => {
    const c = fakeClock();
    const b = new TokenBucket({ rate: 100, burst: 5, clock: c.now });
    b.reserve(5);
    c.advance(60_000); // a minute idle: still only 5 tokens
    expect(b.reserve(5)).toBe(0);
    expect(b.reserve(1)).toBeCloseTo(10, 12);
  });

  it('rate 0 never waits; a negative or NaN rate is refused with the value', () => {
    const b = new TokenBucket({ rate: 0 });
    for (let i = 0; i < 5; i++) expect(b.reserve(1_000_000)).toBe(0);
    expect(() => new TokenBucket({ rate: -1 })).toThrow(ProducerError);
    expect(() => new TokenBucket({ rate: Number.NaN })).toThrow(/rate NaN is not valid/);
  });
});
