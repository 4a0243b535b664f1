/**
 * The most bytes {@link writeJsNumber} writes for one finite double: `-0.0000012345678901234567`
 * (sign, `0.`, five zeros, 17 digits) is the longest `String(x)`; exponent forms are at most 24.
 */
export const JS_NUMBER_MAX_BYTES = 25;

/** Smallest and largest decimal exponent k of Schubfach's table (binary64: 10^k ≤ 2^q for q = −1074…971). */
const K_MIN = -324;
const K_MAX = 292;

/**
 * Schubfach's g(k) = ⌊10^−k / 2^r⌋ + 1 for k = −324…292, r such that 2^125 ≤ 10^−k / 2^r < 2^126
 * (Giulietti; Java's `MathUtils.g1/g0`), split as g = g1 · 2^63 + g0 with g1, g0 < 2^63, each as four
 * 16-bit limbs, least significant first. Built once with BigInt at module load.
 */
const G1 = new Uint16Array((K_MAX - K_MIN + 1) * 4);
const G0 = new Uint16Array((K_MAX - K_MIN + 1) * 4);
/** g(k) / 2^127 as the sum of two doubles (in [1/4, 1/2); the low one ≤ half an ulp of the high one). */
const G_HI = new Float64Array(K_MAX - K_MIN + 1);
const G_LO = new Float64Array(K_MAX - K_MIN + 1);
{
  const mask63 = (1n << 63n) - 1n;
  for (let k = K_MIN; k <= K_MAX; k++) {
    let g: bigint;
    if (k <= 0) {
      const p = 10n ** BigInt(-k);
      const r = p.toString(2).length - 126;
      g = (r >= 0 ? p >> BigInt(r) : p << BigInt(-r)) + 1n;
    } else {
      const p = 10n ** BigInt(k);
      g = (1n << BigInt(125 + p.toString(2).length)) / p + 1n;
    }
    G_HI[k - K_MIN] = Number(g) / 2 ** 127;
    G_LO[k - K_MIN] = Number(g - BigInt(Number(g))) / 2 ** 127;
    const o = (k - K_MIN) * 4;
    for (let i = 0; i < 4; i++) {
      G1[o + i] = Number(((g >> 63n) >> BigInt(16 * i)) & 0xffffn);
      G0[o + i] = Number(((g & mask63) >> BigInt(16 * i)) & 0xffffn);
    }
  }
}

/**
 * Schubfach's k = ⌊log10(2^q)⌋ (or ⌊log10(3/4 · 2^q)⌋ for the narrower lower half of the interval at a
 * power of two) and h = q + ⌊−k log2 10⌋ + 2 (in 2…5, so the products' cp < 2^61), for q = −1074…971:
 * entry 2(q + 1074), the power-of-two case one after. Java's flog10pow2, flog10threeQuartersPow2 and
 * flog2pow10 (× 2^−41, 2^−38: exact, as the products are < 2^53), computed once.
 */
const K_OF_Q = new Int16Array(2 * 2046);
const H_OF_Q = new Int8Array(2 * 2046);
for (let q = -1074; q <= 971; q++) {
  for (let asym = 0; asym < 2; asym++) {
    const k = Math.floor((asym === 0 ? q * 661971961083 : q * 661971961083 - 274743187321) * 2 ** -41);
    K_OF_Q[2 * (q + 1074) + asym] = k;
    H_OF_Q[2 * (q + 1074) + asym] = q + Math.floor(-k * 913124641741 * 2 ** -38) + 2;
  }
}

/** Scratch: the result of {@link rop} (low, high 32-bit halves, low half before rounding to odd, the fraction below), a product of {@link mul64} (four 32-bit words), the double's bits. */
const V = new Float64Array(4);
const R = new Float64Array(4);
const BITS = new Float64Array(1);
const WORDS = new Uint32Array(BITS.buffer);
/**
 * The number {@link writeNumberScratch} writes (one double; its bits are read through a Uint32Array
 * view). Internal to this folder: not exported from the package.
 */
export const NUMBER_SCRATCH = BITS;
/** The chosen significand's 17 decimal digits (ASCII, zero-padded), most significant first. */
const D = new Uint8Array(17);
/** "00" "01" … "99" as ASCII pairs. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 0x30 + ((i / 10) | 0);
  PAIRS[2 * i + 1] = 0x30 + (i % 10);
}
const TWO_32 = 4294967296;
const TWO_M32 = 1 / TWO_32;
const TWO_30 = 1073741824;
const TWO_M31 = 2 ** -31;
const TWO_M63 = 2 ** -63;
/** 10^0…10^9, for counting digits without dividing. */
const POW10 = new Float64Array([1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]);

/**
 * Writes the ASCII bytes of `String(x)` (ECMAScript Number::toString) for a finite double into `out`
 * at `pos` and returns the position after the last byte: the shortest decimal that rounds back to x
 * (the closest of them when there are several, the even one on a tie), in fixed notation for
 * 1e-7 ≤ |x| < 1e21 and as `d.ddde±n` otherwise. An integer below 2^53 in magnitude (ids,
 * timestamps, labels, model versions) is written by a digit loop; every other double by Giulietti's
 * Schubfach algorithm (a 126 × 64-bit product with a power of ten, in 16-bit limbs with exact double
 * arithmetic; the rounding interval's bounds follow from its fraction, with their own products only
 * when that fraction is within 10^−9 of an integer; powers of ten built once at load), with no string
 * and no allocation. −0 is written `0`,
 * as `String(-0)` is; NaN and ±Infinity are written as their names (callers writing JSON test for
 * them first). The caller leaves at least {@link JS_NUMBER_MAX_BYTES} bytes free after `pos`; the bytes
 * between the returned position and `pos + JS_NUMBER_MAX_BYTES` may be overwritten (scratch).
 *
 * Paper: R. Giulietti, "The Schubfach way to render doubles" (2020/2021); follows Java's
 * `jdk.internal.math.DoubleToDecimal` (JDK 19), with ECMAScript's formatting and its one-digit
 * answers for the two smallest subnormals.
 *
 * @param x - the number (finite for JSON)
 * @param out - the bytes to write into
 * @param pos - where the first byte goes
 * @returns the position after the last byte written
 * @example
 * const b = new Uint8Array(32);
 * const end = writeJsNumber(0.1 + 0.2, b, 0); // end === 19
 * new TextDecoder().decode(b.subarray(0, end)) // '0.30000000000000004'
 */
export function writeJsNumber(x: number, out: Uint8Array, pos: number): number {
  BITS[0] = x;
  return writeNumberScratch(out, pos);
}

/**
 * The double in {@link NUMBER_SCRATCH}`[0]` written as {@link writeJsNumber} writes it. For callers
 * in this folder that hold the number unboxed (a double field, a typed array): the number goes
 * through the scratch array, not as an argument, which V8 would box (a heap number per call) when
 * the callee is not inlined. Internal: not exported from the package.
 *
 * @param out - the bytes to write into
 * @param pos - where the first byte goes
 * @returns the position after the last byte written
 * @example
 * const out = new Uint8Array(32);
 * NUMBER_SCRATCH[0] = 0.5;
 * writeNumberScratch(out, 0) // 3 ('0.5')
 */
export function writeNumberScratch(out: Uint8Array, pos: number): number {
  const x = BITS[0];
  if (x === Math.floor(x) && x < 9007199254740992 && x > -9007199254740992) return writeSafeInteger(out, pos);
  if (x - x !== 0) return writeName(out, pos); // NaN, ±Infinity
  const w1 = WORDS[1];
  const w0 = WORDS[0];
  if (w1 >>> 31 !== 0) out[pos++] = 0x2d; // '-'
  const bq = (w1 >>> 20) & 0x7ff;
  const t = w1 & 0xfffff;
  if (bq === 0) {
    // subnormal: the two smallest have the one-digit answers 5e-324 and 1e-323, which Schubfach
    // (on its ×10 path for them) would not give
    if (t === 0 && w0 < 3) {
      D[0] = w0 === 1 ? 0x35 : 0x31;
      return format(0, 1, w0 === 1 ? -324 : -323, out, pos);
    }
    return schubfach(t, -1074, true, out, pos);
  }
  return schubfach(t | 0x100000, bq - 1075, bq === 1 || t !== 0 || w0 !== 0, out, pos);
}

/**
 * Schubfach for the double c · 2^q, c = cH · 2^32 + cL (cL the low word of BITS): the decimal rendering's digits into D, then
 * {@link format}. `symmetric`: the rounding interval is centred (c is no power of two, or q minimal).
 */
function schubfach(cH: number, q: number, symmetric: boolean, out: Uint8Array, pos: number): number {
  const cL = WORDS[0]; // (read here, not passed: a uint32 ≥ 2^31 would be boxed as an argument)
  const odd = cL & 1;
  const at = 2 * (q + 1074) + (symmetric ? 0 : 1);
  const k = K_OF_Q[at];
  const h = H_OF_Q[at];
  const o = (k - K_MIN) * 4;
  // vb = rop(g · cb · 2^h), cb = 4c: first as c · G with G = g · 2^(h+2) / 2^127 in two doubles
  // (G_HI + G_LO), the product exact in three doubles P + E (Dekker) + c · G_LO (error < 2^−42):
  // when the fraction of that is not within 10^−9 of an integer, rop is its integer part with the
  // last bit set (the sticky bit, as the exact product is no integer); else the exact product.
  // The value as bH · 2^32 + bL; vbl, vbr are within a few units of it.
  const c = cH * TWO_32 + cL;
  const scale = 1 << (h + 2);
  const gh = G_HI[k - K_MIN] * scale;
  const big = c * gh;
  let t = 134217729 * c; // Veltkamp's split into 26 + 27 bits
  const ch = t - (t - c);
  const cl = c - ch;
  t = 134217729 * gh;
  const hh = t - (t - gh);
  const hl = gh - hh;
  const pi = Math.floor(big); // big itself when ≥ 2^52
  const rest = big - pi + (ch * hh - big + ch * hl + cl * hh + cl * hl + c * (G_LO[k - K_MIN] * scale));
  const ir = Math.floor(rest);
  let bL: number;
  let bH: number;
  let floorL: number;
  let frac = rest - ir;
  if (frac > 1e-9 && frac < 1 - 1e-9) {
    bH = Math.floor(pi * TWO_M32);
    floorL = pi - bH * TWO_32 + ir;
    if (floorL < 0) {
      floorL += TWO_32;
      bH--;
    } else if (floorL >= TWO_32) {
      floorL -= TWO_32;
      bH++;
    }
    bL = floorL + ((floorL & 1) ^ 1);
  } else {
    rop(cH, cL, h + 2, o);
    bL = V[0];
    bH = V[1];
    floorL = V[2];
    frac = V[3];
  }
  // vbl, vbr: rop(g · cbl · 2^h), rop(g · cbr · 2^h), cbl = 4c − 2 (4c − 1 at a power of two), cbr =
  // 4c + 2. They are vb's unrounded value minus / plus Δ = g · (cb − cbl) · 2^h / 2^127 (up to one
  // unit of Z's last bit, 2^−63 here): the integer part and the round-to-odd bit follow from vb's
  // fraction, unless frac ∓ Δ is within 10^−9 of an integer, where the bound is computed exactly
  const half = gh * 0.25; // g · 2^h / 2^127
  let y = frac - (symmetric ? 2 * half : half);
  let iy = Math.floor(y);
  let vbl: number;
  if (y - iy > 1e-9 && y - iy < 1 - 1e-9) vbl = floorL + iy + (((floorL + iy) & 1) ^ 1);
  else {
    // (cL = 0: borrow one from the high half)
    if (symmetric) rop(cL === 0 ? 2 * cH - 1 : 2 * cH, cL === 0 ? TWO_32 - 1 : 2 * cL - 1, h + 1, o);
    else rop(cL === 0 ? 4 * cH - 1 : 4 * cH, cL === 0 ? TWO_32 - 1 : 4 * cL - 1, h, o);
    vbl = (V[1] - bH) * TWO_32 + V[0];
  }
  y = frac + 2 * half;
  iy = Math.floor(y);
  let vbr: number;
  if (y - iy > 1e-9 && y - iy < 1 - 1e-9) vbr = floorL + iy + (((floorL + iy) & 1) ^ 1);
  else {
    rop(2 * cH, 2 * cL + 1, h + 1, o); // cbr = 2(2c + 1)
    vbr = (V[1] - bH) * TWO_32 + V[0];
  }
  // s = ⌊vb / 4⌋ = bH · 2^30 + s1; all below relative to bH · 2^32 (exact small doubles)
  const s1 = bL >>> 2;
  let f1: number;
  let e = k;
  done: {
    // the multiples of ten next to s: one digit shorter, when one of them is in the interval (Java
    // tries them only for s ≥ 100, as it wants at least two digits; ECMAScript wants the shortest)
    // s mod 10 = (4 bH + s1) mod 10 (2^30 ≡ 4), 4 bH + s1 < 2^31; ⌊m / 10⌋ as (m · 0.1) | 0 (see put8), no idiv
    const m = 4 * bH + s1;
    const sp10 = s1 - (m - ((m * 0.1) | 0) * 10);
    const upin = vbl + odd <= 4 * sp10;
    const wpin = 4 * (sp10 + 10) + odd <= vbr;
    if (upin !== wpin) {
      f1 = upin ? sp10 : sp10 + 10;
      break done;
    }
    const uin = vbl + odd <= 4 * s1;
    const win = 4 * (s1 + 1) + odd <= vbr;
    if (uin !== win) f1 = uin ? s1 : s1 + 1;
    else {
      const cmp = bL - 4 * s1 - 2; // vb − 2(s + t): which of s, t = s + 1 is closer (the even one on a tie)
      f1 = cmp < 0 || (cmp === 0 && (s1 & 1) === 0) ? s1 : s1 + 1;
    }
  }
  // f = bH · 2^30 + f1 < 10^17 as a · 10^8 + b: a first approximately, then exactly corrected
  // (a · 10^8 = a · 390625 · 2^8 and bH · 2^30 are exact, so is their difference)
  const hiPart = bH * TWO_30;
  let a = Math.floor((hiPart + f1) * 1e-8);
  let b = hiPart - a * 1e8 + f1;
  while (b < 0) {
    a--;
    b += 1e8;
  }
  while (b >= 1e8) {
    a++;
    b -= 1e8;
  }
  // 17 ASCII digits (a < 10^9: its top digit, then 8 + 8), then the span without leading and trailing zeros
  const a1 = (a * 1e-8) | 0;
  const a0 = a - a1 * 1e8;
  // |x| < 1 (n ≤ 0, the common score case) with at most one leading zero: straight into `out` after
  // `0.` and −n zeros, which are written last (over the leading zero); no copy through D
  const lead = a1 > 0 ? 0 : a0 >= 1e7 ? 1 : 2;
  const n = 17 - lead + e;
  if (lead < 2 && n <= 0 && n > -6) {
    const start = pos + 2 - n; // the first significant digit
    const p0 = start - lead;
    out[p0] = 0x30 + a1;
    put8(a0, out, p0 + 1);
    put8(b, out, p0 + 9);
    out[pos] = 0x30;
    out[pos + 1] = 0x2e;
    for (let i = pos + 2; i < start; i++) out[i] = 0x30;
    let end = p0 + 17;
    while (out[end - 1] === 0x30) end--;
    return end;
  }
  // 1 ≤ |x| < 10^15 (no integer: those took the integer path, so a digit follows the point): the
  // digits with the first significant one at pos + 1, then the n integer digits moved down by one
  // and the point after them
  if (lead < 2 && n >= 1 && n <= 15) {
    const p0 = pos + 1 - lead;
    out[p0] = 0x30 + a1;
    put8(a0, out, p0 + 1);
    put8(b, out, p0 + 9);
    for (let i = pos; i < pos + n; i++) out[i] = out[i + 1];
    out[pos + n] = 0x2e;
    let end = p0 + 17;
    while (out[end - 1] === 0x30) end--;
    return end;
  }
  D[0] = 0x30 + a1;
  put8(a0, D, 1);
  put8(b, D, 9);
  let first = 0;
  while (D[first] === 0x30) first++;
  let last = 16;
  while (D[last] === 0x30) last--;
  return format(first, last - first + 1, e + 16 - last, out, pos);
}

/**
 * The 8 decimal digits of 0 ≤ v < 10^8 (zero-padded) as ASCII into `to` at `at`: two levels of
 * splitting (÷ 10^4, ÷ 100 by multiplying with the next double above the reciprocal, exact here) and
 * a table of digit pairs, so the steps do not wait on one another.
 */
function put8(v: number, to: Uint8Array, at: number): void {
  // (v · 10^−4 and h · 0.01 are above the exact quotients by far less than what would cross an integer)
  const hi = (v * 1e-4) | 0;
  const lo = v - hi * 10000;
  const hh = (hi * 0.01) | 0;
  const hl = hi - hh * 100;
  const lh = (lo * 0.01) | 0;
  const ll = lo - lh * 100;
  to[at] = PAIRS[2 * hh];
  to[at + 1] = PAIRS[2 * hh + 1];
  to[at + 2] = PAIRS[2 * hl];
  to[at + 3] = PAIRS[2 * hl + 1];
  to[at + 4] = PAIRS[2 * lh];
  to[at + 5] = PAIRS[2 * lh + 1];
  to[at + 6] = PAIRS[2 * ll];
  to[at + 7] = PAIRS[2 * ll + 1];
}

/**
 * V = (low, high 32-bit halves of) Schubfach's rop(g(k), m · 2^sh), m = mH · 2^32 + mL < 2^55,
 * exactly as Java computes it: with x1 = the high 64 bits of g0 · cp and y1, y0 the halves of
 * g1 · cp, z = ⌊y0 / 2⌋ + x1, the answer is y1 + ⌊z / 2^63⌋, its last bit set when z mod 2^63 ≠ 0
 * (round to odd; the dropped low bits are part of the algorithm's error analysis, not an approximation
 * to be improved). The products in 16-bit limbs by {@link mul64}.
 */
function rop(mH: number, mL: number, sh: number, o: number): void {
  // cp = m · 2^sh < 2^64 as 16-bit limbs (mL may be ≥ 2^32 before the split)
  const pw = 1 << sh;
  let pL = mL * pw;
  const carry = Math.floor(pL * TWO_M32);
  pL -= carry * TWO_32;
  const pH = mH * pw + carry;
  const b0 = pL & 0xffff;
  const b1 = pL >>> 16;
  const b2 = pH & 0xffff;
  const b3 = pH >>> 16;
  mul64(G0, o, b0, b1, b2, b3);
  const x1L = R[2];
  const x1H = R[3];
  mul64(G1, o, b0, b1, b2, b3);
  // Z = ⌊(g1 · cp) / 2⌋ + x1 in 32-bit words z0…z3
  // (words are < 2^32: `>>>` and `&` on them are exact, and cheaper than % and Math.floor on doubles)
  const z0 = (R[0] >>> 1) + (R[1] & 1) * 2147483648;
  let z1 = (R[1] >>> 1) + (R[2] & 1) * 2147483648;
  let z2 = (R[2] >>> 1) + (R[3] & 1) * 2147483648;
  let z3 = R[3] >>> 1;
  // + x1 (words 0–1), carried up
  let u = z0 + x1L;
  let k = u >= TWO_32 ? 1 : 0;
  const w0 = u - k * TWO_32;
  u = z1 + x1H + k;
  k = u >= TWO_32 ? 1 : 0;
  z1 = u - k * TWO_32;
  u = z2 + k;
  k = u >= TWO_32 ? 1 : 0;
  z2 = u - k * TWO_32;
  z3 += k;
  // ⌊Z / 2^63⌋: bit 63 is bit 31 of z1
  const lo = (z1 >>> 31) + (z2 & 0x7fffffff) * 2;
  const rest = z1 & 0x7fffffff;
  V[0] = (lo & 1) === 0 && (w0 !== 0 || rest !== 0) ? lo + 1 : lo;
  V[1] = (z2 >>> 31) + z3 * 2;
  V[2] = lo;
  V[3] = rest * TWO_M31 + w0 * TWO_M63;
}

/**
 * R = the 128-bit product of the 64 bits at limbs `o…o+3` of `t` and (b3 b2 b1 b0), 16-bit limbs, as
 * four 32-bit words (exact integers in doubles), least significant first. Seven column sums (< 2^34),
 * two columns at a time to a word (sums < 2^51: exact), as in eiselLemire.
 */
function mul64(t: Uint16Array, o: number, b0: number, b1: number, b2: number, b3: number): void {
  const a0 = t[o];
  const a1 = t[o + 1];
  const a2 = t[o + 2];
  const a3 = t[o + 3];
  let x = a0 * b0 + (a1 * b0 + a0 * b1) * 65536;
  let k = Math.floor(x * TWO_M32);
  R[0] = x - k * TWO_32;
  x = k + a2 * b0 + a1 * b1 + a0 * b2 + (a3 * b0 + a2 * b1 + a1 * b2 + a0 * b3) * 65536;
  k = Math.floor(x * TWO_M32);
  R[1] = x - k * TWO_32;
  x = k + a3 * b1 + a2 * b2 + a1 * b3 + (a3 * b2 + a2 * b3) * 65536;
  k = Math.floor(x * TWO_M32);
  R[2] = x - k * TWO_32;
  R[3] = k + a3 * b3;
}

/** Digits of 0 < v < 10^9 (v < 2^31). */
function digitCount(v: number): number {
  let n = 1;
  while (n < 10 && v >= POW10[n]) n++;
  return n;
}

/**
 * The decimal of the ASCII digits D[d0..d0+k) × 10^e (no leading or trailing zeros) as
 * Number::toString formats it: with n = k + e, digits and zeros for k ≤ n ≤ 21, a point inside for
 * 0 < n ≤ 21, `0.000…` for −6 < n ≤ 0, else `d.ddde±(n−1)`.
 */
function format(d0: number, k: number, e: number, out: Uint8Array, pos: number): number {
  const n = k + e;
  const end = d0 + k;
  if (k <= n && n <= 21) {
    for (let i = d0; i < end; i++) out[pos++] = D[i];
    for (let i = k; i < n; i++) out[pos++] = 0x30;
    return pos;
  }
  if (0 < n && n <= 21) {
    for (let i = d0; i < d0 + n; i++) out[pos++] = D[i];
    out[pos++] = 0x2e; // '.'
    for (let i = d0 + n; i < end; i++) out[pos++] = D[i];
    return pos;
  }
  if (-6 < n && n <= 0) {
    out[pos++] = 0x30;
    out[pos++] = 0x2e;
    for (let i = n; i < 0; i++) out[pos++] = 0x30;
    for (let i = d0; i < end; i++) out[pos++] = D[i];
    return pos;
  }
  out[pos++] = D[d0];
  if (k > 1) {
    out[pos++] = 0x2e;
    for (let i = d0 + 1; i < end; i++) out[pos++] = D[i];
  }
  out[pos++] = 0x65; // 'e'
  let x = n - 1;
  if (x < 0) {
    out[pos++] = 0x2d;
    x = -x;
  } else out[pos++] = 0x2b; // '+'
  if (x >= 100) out[pos++] = 0x30 + ((x / 100) | 0);
  if (x >= 10) out[pos++] = 0x30 + (((x / 10) | 0) % 10);
  out[pos++] = 0x30 + (x % 10);
  return pos;
}

/** `NaN`, `Infinity` or `-Infinity`, as String(x) writes them. */
function writeName(out: Uint8Array, pos: number): number {
  const x = BITS[0];
  const s = x !== x ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  for (let i = 0; i < s.length; i++) out[pos + i] = s.charCodeAt(i);
  return pos + s.length;
}

/** The decimal digits of an integer |x| < 2^53 (−0 as `0`): two int digit loops of at most 8 and 9 digits. */
function writeSafeInteger(out: Uint8Array, pos: number): number {
  let x = BITS[0];
  if (x < 0) {
    out[pos++] = 0x2d; // '-'
    x = -x;
  }
  if (x < 2147483648) return writeUint31(x | 0, out, pos);
  const hi = Math.floor(x / 1e8); // < 2^53 / 10^8 < 2^27; hi · 10^8 < 2^53 is exact
  const lo = x - hi * 1e8;
  pos = writeUint31(hi, out, pos);
  put8(lo, out, pos);
  return pos + 8;
}

/** The decimal digits of 0 ≤ v < 2^31 without leading zeros. */
function writeUint31(v: number, out: Uint8Array, pos: number): number {
  return writeDigits(v, digitCount(v), out, pos);
}

/** Exactly `n` decimal digits of 0 ≤ v < 2^31 (zero-padded on the left). */
function writeDigits(v: number, n: number, out: Uint8Array, pos: number): number {
  let u = v | 0;
  for (let i = pos + n - 1; i >= pos; i--) {
    const q = (u * 0.1) | 0; // ⌊u / 10⌋ exactly (see put8)
    out[i] = 0x30 + u - q * 10;
    u = q;
  }
  return pos + n;
}
