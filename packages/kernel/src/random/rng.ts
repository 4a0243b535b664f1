import { KernelError } from '../errors.js';
import type { NamedState } from '../state.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_53 = 1 / 9007199254740992;

/**
 * One step of splitmix32 (a 32-bit finaliser of the golden-ratio Weyl sequence), used only to
 * expand a seed into xoshiro's four state words.
 */
function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A small, fast, seeded pseudo-random generator: xoshiro128** (Blackman & Vigna, "Scrambled linear
 * pseudorandom number generators", 2018) with 128 bits of state, seeded through splitmix32.
 * `next()` returns doubles with the full 53 bits of mantissa (two 32-bit outputs per double).
 * Not for cryptography. Allocation-free after construction; the state round-trips exactly through
 * `toState()` / `fromState()`.
 *
 * @param seed - any finite number; its integer part (up to 2^53) selects the stream
 * @example
 * const rng = new Rng(42);
 * const u = rng.next();        // in [0, 1)
 * const k = rng.nextInt(6);    // 0..5, unbiased
 * const g = rng.gaussian();    // standard normal
 * const copy = new Rng(0);
 * copy.fromState(rng.toState()); // copy continues exactly where rng is
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) {
      throw new KernelError(`Rng seed ${seed} must be a finite number; pass an integer such as 42`);
    }
    const whole = Math.trunc(Math.abs(seed));
    const lo = whole % TWO_POW_32 >>> 0;
    const hi = Math.floor(whole / TWO_POW_32) % TWO_POW_32 >>> 0;
    let x = lo ^ Math.imul(hi, 0x27d4eb2d) ^ (seed < 0 ? 0x5bd1e995 : 0);
    const a = splitmix32(x);
    x = (x + 0x9e3779b9) | 0;
    const b = splitmix32(x);
    x = (x + 0x9e3779b9) | 0;
    const c = splitmix32(x ^ hi);
    x = (x + 0x9e3779b9) | 0;
    const d = splitmix32(x);
    this.setWords(a, b, c, d);
  }

  /**
   * A generator with the raw xoshiro128** state words given (at least one non-zero), for checking
   * against the reference implementation.
   *
   * @example
   * Rng.fromWords(1, 2, 3, 4).nextUint32() // 11520, as in Vigna's xoshiro128starstar.c
   */
  static fromWords(a: number, b: number, c: number, d: number): Rng {
    const rng = new Rng(0);
    rng.setWords(a >>> 0, b >>> 0, c >>> 0, d >>> 0);
    return rng;
  }

  private setWords(a: number, b: number, c: number, d: number): void {
    if ((a | b | c | d) === 0) {
      throw new KernelError('xoshiro128** state must not be all zero; use another seed or state');
    }
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
    this.hasSpare = false;
    this.spare = 0;
  }

  /** The next 32 random bits as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    const s3 = this.s3;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return result >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits (every multiple of 2^−53 equally likely). */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * TWO_POW_MINUS_53;
  }

  /**
   * A uniform integer in [0, n), without modulo bias (rejection sampling).
   *
   * @param n - an integer with 1 ≤ n ≤ 2^53
   * @example
   * new Rng(1).nextInt(10) // one of 0..9
   */
  nextInt(n: number): number {
    if (!(n >= 1 && n <= 9007199254740992 && Number.isInteger(n))) {
      throw new KernelError(`Rng.nextInt(${n}): n must be an integer in [1, 2^53]`);
    }
    if (n <= TWO_POW_32) {
      // Accept u below the largest multiple of n that fits in 32 bits.
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let u = this.nextUint32();
      while (u >= limit) u = this.nextUint32();
      return u % n;
    }
    // Above 2^32: same rejection idea on 53-bit integers.
    const range = 9007199254740992;
    const limit = range - (range % n);
    let u = this.next() * range;
    while (u >= limit) u = this.next() * range;
    return u % n;
  }

  /**
   * A standard normal variate (mean 0, variance 1) by Marsaglia's polar method; the second value of
   * each pair is kept and returned by the next call (it is part of the state).
   */
  gaussian(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /** The full state: the four 32-bit words and the cached Gaussian. */
  toState(): NamedState {
    const words = new Uint32Array(4);
    words[0] = this.s0;
    words[1] = this.s1;
    words[2] = this.s2;
    words[3] = this.s3;
    return { words, hasSpare: this.hasSpare, spare: this.spare };
  }

  /** Restores a state made by {@link Rng.toState}; the stream continues exactly. */
  fromState(state: NamedState): void {
    const words = state.words;
    if (!(words instanceof Uint32Array) || words.length !== 4) {
      throw new KernelError('Rng state needs `words`: a Uint32Array of 4 words (from Rng.toState())');
    }
    const hasSpare = state.hasSpare;
    const spare = state.spare;
    if (typeof hasSpare !== 'boolean' || typeof spare !== 'number') {
      throw new KernelError('Rng state needs boolean `hasSpare` and number `spare` (from Rng.toState())');
    }
    this.setWords(words[0], words[1], words[2], words[3]);
    this.hasSpare = hasSpare;
    this.spare = spare;
  }
}
