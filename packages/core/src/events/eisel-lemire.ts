/** Smallest and largest decimal exponent of the table (fast_float's binary64 range); outside: 0 or ∞. */
const MIN_Q = -342;
const MAX_Q = 308;

/**
 * The truncated 128-bit powers of five 5^q, q = −342…308, normalized to the top bit set, exactly as
 * fast_float's `script/table_generation.py` makes them (q ≥ 0: 5^q shifted, truncated; q < 0:
 * ⌊2^b / 5^−q⌋ + 1, truncated to 128 bits). Eight 16-bit limbs per power, least significant first:
 * limbs 0–3 the low 64 bits, 4–7 the high 64 bits. Built once with BigInt at module load.
 */
const POW5 = new Uint16Array((MAX_Q - MIN_Q + 1) * 8);
{
  const two128 = 1n << 128n;
  for (let q = MIN_Q; q <= MAX_Q; q++) {
    let c: bigint;
    if (q >= 0) {
      c = 5n ** BigInt(q);
      while (c < 1n << 127n) c <<= 1n;
      while (c >= two128) c >>= 1n;
    } else {
      const p5 = 5n ** BigInt(-q);
      const z = BigInt(p5.toString(2).length); // the least z with 2^z ≥ 5^−q (5^−q is no power of two)
      c = (1n << (q >= -27 ? z + 127n : 2n * z + 128n)) / p5 + 1n;
      while (c >= two128) c >>= 1n;
    }
    const o = (q - MIN_Q) * 8;
    for (let k = 0; k < 8; k++) POW5[o + k] = Number((c >> BigInt(16 * k)) & 0xffffn);
  }
}

/** The 128-bit product of {@link mul64} as four 32-bit words (exact integers in doubles), least significant first. */
const R = new Float64Array(4);
/** 2^(k − 1075) for k = 0…2046: the value of a double with biased exponent k is its 53-bit significand times this (k ≥ 1). */
const POW2 = new Float64Array(2047);
for (let k = 1, v = Number.MIN_VALUE; k < 2047; k++, v *= 2) POW2[k] = v; // 2^−1074, 2^−1073, … (exact)
const TWO_32 = 4294967296;
const TWO_M32 = 1 / TWO_32;

/**
 * The exactly rounded double nearest to w · 10^q (ties to even) for a significand w < 2^64 given as two
 * uint32 halves, by the Eisel–Lemire algorithm: one (rarely two) 64×64→128-bit products of the
 * normalized w with a truncated 128-bit power of five, then rounding of the top 54 bits, with exact
 * halfway cases (only possible for −4 ≤ q ≤ 23) rounded to even. No string, no BigInt and no
 * allocation per call: the products use 16-bit limbs in exact double arithmetic, the result goes to
 * `out[0]`. Gives the same double as `Number(text)` (and `JSON.parse`) of the decimal `w`e`q`; for
 * q < −342 that is 0 and for q > 308 (w > 0) Infinity. The "cannot decide" answer (false) is kept for
 * the case the original paper left to a slower path (the low 64 product bits all ones after the second
 * product, q outside −27…55), which Mushtak & Lemire (2023) prove cannot happen for an exact w < 2^64
 * (none in 5 million checked cases); the caller then converts another way. Measured about 30 ns per
 * call (Node 20, x64), 0 B allocated.
 *
 * Paper: D. Lemire, "Number Parsing at a Gigabyte per Second", Software: Practice and Experience
 * 51(8), 2021 (after M. Eisel); N. Mushtak and D. Lemire, "Fast number parsing without fallback",
 * SPE 2023. Follows fast_float's `compute_float` (subnormals included).
 *
 * @param w - the significand: `w[0]` its low 32 bits, `w[1]` its high 32 bits (unsigned)
 * @param q - the decimal exponent (any integer; outside −342…308 the answer is 0 or Infinity)
 * @param out - receives the non-negative double in `out[0]` when the result is true (untouched otherwise)
 * @returns true when `out[0]` holds the exactly rounded value; false: cannot decide, convert another way
 * @example
 * const out = new Float64Array(1);
 * eiselLemire(new Uint32Array([1, 0x200000]), 0, out) // true; out[0] === 9007199254740992 (2^53 + 1 rounds to even)
 * eiselLemire(new Uint32Array([7, 0]), -30, out) // true; out[0] === 7e-30
 */
export function eiselLemire(w: Uint32Array, q: number, out: Float64Array): boolean {
  const lo = w[0];
  const hi = w[1];
  if (hi === 0 && lo === 0) {
    out[0] = 0;
    return true;
  }
  if (q < MIN_Q) {
    out[0] = 0; // w · 10^q < 2^64 · 10^−343 < 2^−1075: rounds to 0
    return true;
  }
  if (q > MAX_Q) {
    out[0] = Infinity; // ≥ 10^309
    return true;
  }
  // normalize: shift w left until its top bit is set
  let lz: number;
  let nh: number;
  let nl: number;
  if (hi !== 0) {
    lz = Math.clz32(hi);
    nh = lz === 0 ? hi : ((hi << lz) | (lo >>> (32 - lz))) >>> 0;
    nl = (lo << lz) >>> 0;
  } else {
    const z = Math.clz32(lo);
    lz = 32 + z;
    nh = (lo << z) >>> 0;
    nl = 0;
  }
  const w3 = nh >>> 16;
  const w2 = nh & 0xffff;
  const w1 = nl >>> 16;
  const w0 = nl & 0xffff;
  const o = (q - MIN_Q) * 8;
  mul64(w0, w1, w2, w3, o + 4); // w × the high 64 bits of 5^q
  let l0 = R[0];
  let l1 = R[1];
  let h0 = R[2];
  let h1 = R[3];
  if ((h0 & 0x1ff) === 0x1ff) {
    // the 55 bits kept may be off by the truncated low half: add the top 64 bits of w × its low 64 bits
    mul64(w0, w1, w2, w3, o);
    let t = l0 + R[2];
    let k = t >= TWO_32 ? 1 : 0;
    l0 = t - k * TWO_32;
    t = l1 + R[3] + k;
    k = t >= TWO_32 ? 1 : 0;
    l1 = t - k * TWO_32;
    t = h0 + k;
    k = t >= TWO_32 ? 1 : 0;
    h0 = t - k * TWO_32;
    h1 += k;
    if (l0 === 0xffffffff && l1 === 0xffffffff && (q < -27 || q > 55)) return false; // the paper's fallback case
  }
  const upper = h1 >>> 31; // the product's top bit: 127 or 126
  const shift = upper + 9; // keep 54 bits: 52 explicit, the implicit one and one for rounding
  const mH = h1 >>> shift;
  let mL = ((h1 << (32 - shift)) | (h0 >>> shift)) >>> 0;
  const power2 = ((217706 * q) >> 16) + 63 + upper - lz + 1023; // ⌊q · log2(10)⌋ + …, biased
  if (power2 <= 0) {
    // subnormal (or zero): drop 1 − power2 more bits, then round (no exact ties this far down)
    const s = 1 - power2;
    if (s >= 64) {
      out[0] = 0;
      return true;
    }
    // f = ⌊m / 2^s⌋ < 2^53; then (f + its last bit) / 2 times 2^−1074 (a result of 2^52 is the smallest normal: also right)
    const f = s <= 32 ? mH * POW2[1075 + 32 - s] + Math.floor(mL * POW2[1075 - s]) : Math.floor(mH * POW2[1075 + 32 - s]);
    const half = f * 0.5;
    const down = Math.floor(half);
    out[0] = (half === down ? down : down + 1) * Number.MIN_VALUE;
    return true;
  }
  // exactly between two doubles (nothing but zeros dropped, the product exact): round to even
  if (l1 === 0 && l0 <= 1 && q >= -4 && q <= 23 && (mL & 3) === 1 && (h0 & ((1 << shift) - 1)) === 0) mL -= 1;
  // (m + its last bit) / 2 as a double: exact (≤ 2^53). 2^53 (rounded up) times 2^(power2 − 1075) is
  // 2^52 times the next power, and beyond the largest double the product is Infinity, as it should be
  // (two stores, not one of a conditional: a phi of the constant Infinity and a double boxes the double)
  if (power2 >= 0x7ff) out[0] = Infinity;
  else out[0] = (mH * 2147483648 + (mL + (mL & 1)) * 0.5) * POW2[power2];
  return true;
}

/**
 * `R` = (w3 w2 w1 w0) × the 64 bits at limbs `o…o+3` of {@link POW5}, all 16-bit limbs (small
 * integers: nothing is boxed even if this is not inlined). The seven column sums (each < 2^34) do not
 * depend on one another; two columns at a time then make a 32-bit word (sums < 2^51: exact), so the
 * carry chain is three steps long.
 */
function mul64(w0: number, w1: number, w2: number, w3: number, o: number): void {
  const t = POW5;
  const b0 = t[o];
  const b1 = t[o + 1];
  const b2 = t[o + 2];
  const b3 = t[o + 3];
  const c0 = w0 * b0;
  const c1 = w0 * b1 + w1 * b0;
  const c2 = w0 * b2 + w1 * b1 + w2 * b0;
  const c3 = w0 * b3 + w1 * b2 + w2 * b1 + w3 * b0;
  const c4 = w1 * b3 + w2 * b2 + w3 * b1;
  const c5 = w2 * b3 + w3 * b2;
  const c6 = w3 * b3;
  let x = c0 + c1 * 65536;
  let k = Math.floor(x * TWO_M32);
  R[0] = x - k * TWO_32;
  x = k + c2 + c3 * 65536;
  k = Math.floor(x * TWO_M32);
  R[1] = x - k * TWO_32;
  x = k + c4 + c5 * 65536;
  k = Math.floor(x * TWO_M32);
  R[2] = x - k * TWO_32;
  R[3] = k + c6;
}
