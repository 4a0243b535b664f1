import { Rng } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { eiselLemire } from './eisel-lemire.js';

// Reference: Number(text) of the same decimal (V8's exactly rounded conversion, = JSON.parse), compared
// with Object.is. Tolerance: exact. The significand is split into its uint32 halves with BigInt (here
// only: the function itself uses none per call).

const w = new Uint32Array(2);
const out = new Float64Array(1);
const TWO_64 = 1n << 64n;

/** The decimal text's significand (all its digits) and exponent: text = digits · 10^q. */
function parts(text: string): [bigint, number] {
  const m = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null) throw new Error(`test bug: ${text} is not an unsigned JSON number`);
  const frac = m[2] ?? '';
  return [BigInt(m[1] + frac), Number(m[3] ?? '0') - frac.length];
}

/** Checks digits · 10^q against Number(); collects the wrong ones (at most 20) and counts. */
class Checker {
  readonly wrong: string[] = [];
  cases = 0;
  undecided = 0;
  check(digits: bigint, q: number): void {
    if (digits < 0n || digits >= TWO_64) throw new Error(`test bug: significand ${digits} is not below 2^64`);
    w[0] = Number(digits & 0xffffffffn);
    w[1] = Number(digits >> 32n);
    this.cases++;
    const want = Number(`${digits}e${q}`);
    out[0] = NaN;
    if (!eiselLemire(w, q, out)) {
      this.undecided++;
      if (this.wrong.length < 20) this.wrong.push(`${digits}e${q}: cannot decide, Number() gives ${want}`);
    } else if (!Object.is(out[0], want) && this.wrong.length < 20) this.wrong.push(`${digits}e${q}: ${out[0]} vs ${want}`);
  }
  text(t: string): void {
    const [d, q] = parts(t);
    if (d < TWO_64) this.check(d, q);
  }
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** A random positive finite double from random bits (every exponent equally likely, subnormals included). */
function randomDouble(r: Rng): number {
  for (;;) {
    words[0] = r.nextInt(0x100000000);
    words[1] = r.nextInt(0x80000000);
    if (Number.isFinite(bits[0]) && bits[0] > 0) return bits[0];
  }
}
function randomDigits(r: Rng, n: number): bigint {
  let s = String(1 + r.nextInt(9));
  while (s.length < n) s += String(r.nextInt(10));
  return BigInt(s);
}
/** The double's exact value as m · 2^e with the integer m (53 bits for a normal double). */
function decompose(v: number): [bigint, number] {
  bits[0] = v;
  const be = (words[1] >>> 20) & 0x7ff;
  const m = (BigInt(words[1] & 0xfffff) << 32n) | BigInt(words[0]);
  return be === 0 ? [m, -1074] : [m | (1n << 52n), be - 1075];
}
/** The exact decimal of m · 2^e (e may be negative) as [digits, q], trailing zeros kept. */
function exactDecimal(m: bigint, e: number): [bigint, number] {
  return e >= 0 ? [m << BigInt(e), 0] : [m * 5n ** BigInt(-e), e];
}
/** [digits, q] cut to its first n digits (toward zero), plus the one above when `up`. */
function cut(d: bigint, q: number, n: number, up: boolean): [bigint, number] {
  const s = d.toString();
  if (s.length <= n) return [d, q];
  const t = BigInt(s.slice(0, n)) + (up ? 1n : 0n);
  return [t, q + s.length - n];
}

describe('eiselLemire ≡ Number(text) (exact, Object.is)', () => {
  it('every table entry: 1, 10^19 − 1 and 2^64 − 1 times 10^q for q = −360…330; zero; the range ends', () => {
    const c = new Checker();
    for (let q = -360; q <= 330; q++) for (const d of [1n, 9n, 10n ** 19n - 1n, TWO_64 - 1n, 12345678901234567n]) c.check(d, q);
    c.check(0n, 0);
    c.check(0n, 400);
    expect(c.wrong).toEqual([]);
    expect(c.cases).toBe(691 * 5 + 2);
  });

  it('the subnormal boundary, the largest double and just above it, 2^53 and 2^64 neighbours', () => {
    const c = new Checker();
    for (const t of [
      '5e-324', '4.9e-324', '4.9406564584124654e-324', '2.4703282292062327e-324', '2.4703282292062328e-324', '2.47032822920623272e-324',
      '1e-323', '2.2250738585072011e-308', '2.2250738585072012e-308', '2.2250738585072013e-308', '2.2250738585072014e-308',
      '2.2250738585072009e-308', '2.225073858507201e-308', '4.4501477170144023e-308', '1.7976931348623157e308', '1.7976931348623158e308',
      '1.7976931348623159e308', '1.797693134862315807e308', '1.797693134862315808e308', '1.8e308', '1e308', '9007199254740993',
      '9007199254740995', '9007199254740992.5', '18446744073709551615', '18446744073709551616e-1', '1e-342', '9999999999999999999e-343',
      '1e-343', '1e309', '0.1', '0.3', '1e23', '8.98846567431158e307', '2.5e-324', '7e-30', '1e-30',
    ]) {
      c.text(t);
    }
    for (let k = -1000n; k <= 1000n; k++) {
      c.check((1n << 53n) + k, 0);
      c.check((1n << 53n) + k, -16);
      c.check(TWO_64 - 1n - (k < 0n ? -k : k), k < 0n ? -3 : 2);
    }
    expect(c.wrong).toEqual([]);
    expect(c.undecided).toBe(0);
  });

  it('shortest forms, toPrecision(17), (18), (19) and toExponential(16..18) of 40 000 random doubles', () => {
    const r = new Rng(11);
    const c = new Checker();
    for (let i = 0; i < 40_000; i++) {
      const v = i % 4 === 0 ? r.next() : randomDouble(r);
      c.text(String(v));
      c.text(v.toPrecision(17 + (i % 3)));
      c.text(v.toExponential(16 + (i % 3)));
    }
    expect(c.wrong).toEqual([]);
    expect(c.undecided).toBe(0);
    // of 120 000 texts only those with a significand ≥ 2^64 are left out (toPrecision's integer forms
    // with trailing zeros, such as "1234567890123456789000")
    expect(c.cases).toBeGreaterThan(119_500);
  });

  it('60 000 random 1–19-digit significands (most 16–19) with exponents −350…+310', () => {
    const r = new Rng(12);
    const c = new Checker();
    for (let i = 0; i < 60_000; i++) c.check(randomDigits(r, i % 5 === 0 ? 1 + r.nextInt(19) : 16 + r.nextInt(4)), r.nextInt(661) - 350);
    expect(c.wrong).toEqual([]);
  });

  it('exact halfway cases (m + ½) · 2^e with ≤ 19 digits round to even; cut to 17–19 digits and one above, any exponent', () => {
    const r = new Rng(13);
    const c = new Checker();
    let exact = 0;
    for (let i = 0; i < 20_000; i++) {
      // exactly halfway and short enough: 53-bit m, e in −2…10 (q of −3…0), and its neighbours ±1 in the last digit
      const m = (1n << 52n) | (BigInt(r.nextInt(1 << 20)) << 32n) | BigInt(r.nextInt(0x100000000));
      const [d, q] = exactDecimal(2n * m + 1n, r.nextInt(13) - 3);
      if (d < 10n ** 19n) {
        exact++;
        c.check(d, q);
        c.check(d - 1n, q);
        c.check(d + 1n, q);
      }
      // near halfway anywhere (normal and subnormal): the expansion of a random double's midpoint, cut
      const [m2, e2] = decompose(randomDouble(r));
      const [hd, hq] = exactDecimal(2n * m2 + 1n, e2 - 1);
      const n = 17 + r.nextInt(3);
      const [d1, q1] = cut(hd, hq, n, false);
      c.check(d1, q1);
      const [d2, q2] = cut(hd, hq, n, true);
      c.check(d2, q2);
    }
    expect(c.wrong).toEqual([]);
    expect(exact).toBeGreaterThan(15_000); // the construction does make exact ties
  });
});
