import { ProducerError } from './producer-error.js';

/** Settings of {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens (events) per second; 0 = unlimited. */
  readonly rate: number;
  /** Most tokens that may accumulate while idle, i.e. the largest burst (default: 50 ms worth, at least 1). */
  readonly burst?: number;
  /** Milliseconds clock (default `performance.now`); tests inject a fake one. */
  readonly clock?: () => number;
}

/**
 * A token bucket rate limiter: tokens accrue at `rate` per second up to `burst`; `reserve(n)` takes n
 * tokens (the balance may go negative: the debt is paid by waiting) and says how long to wait before
 * those n events may go. Over any interval of T ms at most `rate·T/1000 + burst` events are let through,
 * and a caller that always waits as told runs at `rate` on average.
 *
 * @example
 * const bucket = new TokenBucket({ rate: 1000, burst: 10 });
 * const waitMs = bucket.reserve(10); // 0: the bucket starts full
 * bucket.reserve(10); // 10: ten more events may go in 10 ms
 */
export class TokenBucket {
  readonly rate: number;
  readonly burst: number;
  private readonly clock: () => number;
  private tokens: number;
  private last: number;

  constructor(o: TokenBucketOptions) {
    if (!Number.isFinite(o.rate) || o.rate < 0) {
      throw new ProducerError('bad-option', `rate ${o.rate} is not valid: use a number of events per second >= 0 (0 = as fast as possible)`);
    }
    this.rate = o.rate;
    this.burst = o.burst ?? Math.max(1, o.rate / 20);
    if (!Number.isFinite(this.burst) || this.burst <= 0) {
      throw new ProducerError('bad-option', `burst ${o.burst} is not valid: use a number of events > 0`);
    }
    this.clock = o.clock ?? (() => performance.now());
    this.tokens = this.burst;
    this.last = this.clock();
  }

  /**
   * Takes `n` tokens.
   *
   * @param n events about to be sent
   * @returns milliseconds to wait before sending them (0 = now; always 0 when the rate is 0)
   */
  reserve(n: number): number {
    if (this.rate === 0) return 0;
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.rate;
  }
}
