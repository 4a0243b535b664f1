import { Rng } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { JS_NUMBER_MAX_BYTES, NUMBER_SCRATCH, writeJsNumber, writeNumberScratch } from './write-js-number.js';

const buf = new Uint8Array(64);
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** Writes x and compares the bytes with String(x) (the reference: V8's Number::toString); pushes mismatches. */
function check(x: number, wrong: string[]): void {
  const want = String(x);
  buf.fill(0xff, 0, 40);
  const end = writeJsNumber(x, buf, 3);
  // nothing written before pos, nor past pos + JS_NUMBER_MAX_BYTES (bytes after the end up to that are scratch)
  let ok = end - 3 === want.length && buf[2] === 0xff && buf[3 + JS_NUMBER_MAX_BYTES] === 0xff;
  for (let i = 0; ok && i < want.length; i++) ok = buf[3 + i] === want.charCodeAt(i);
  if (!ok && wrong.length < 20) wrong.push(`${want} → ${String.fromCharCode(...buf.subarray(3, Math.max(end, 3)))}`);
}
const both = (x: number, wrong: string[]): void => {
  check(x, wrong);
  check(-x, wrong);
};
/** The double with these bits. */
const fromBits = (hi: number, lo: number): number => {
  words[1] = hi;
  words[0] = lo;
  return bits[0];
};
/** The next double up / down of a positive finite x (by bits). */
const up = (x: number): number => {
  bits[0] = x;
  if (words[0] === 0xffffffff) return fromBits(words[1] + 1, 0);
  return fromBits(words[1], words[0] + 1);
};
const down = (x: number): number => {
  bits[0] = x;
  if (words[0] === 0) return fromBits(words[1] - 1, 0xffffffff);
  return fromBits(words[1], words[0] - 1);
};

describe('writeJsNumber (exact: the bytes equal String(x) in every case)', () => {
  it('writes integers, −0 and small cases', () => {
    const wrong: string[] = [];
    for (const x of [0, -0, 1, 9, 10, 99, 100, 2147483647, 2147483648, 4294967296, 1732300000000, 99999999, 100000000, 9007199254740991]) both(x, wrong);
    for (let i = 0; i < 20000; i++) both(i, wrong);
    const r = new Rng(3);
    for (let i = 0; i < 20000; i++) both(Math.floor(r.next() * 2 ** (1 + r.nextInt(53))), wrong);
    expect(wrong).toEqual([]);
    expect(writeJsNumber(-0, buf, 0)).toBe(1); // String(-0) is '0'
  });

  it('writes the neighbours of 2^53, 1e21, 1e-7 and of every power of 10 and of 2', () => {
    const wrong: string[] = [];
    const near = (x: number): void => {
      let a = x;
      let b = x;
      both(x, wrong);
      for (let i = 0; i < 4; i++) {
        a = up(a);
        b = down(b);
        both(a, wrong);
        both(b, wrong);
      }
    };
    for (const x of [2 ** 53, 1e21, 1e-7, 1e-6, 1e20, 1e22, Number.MAX_VALUE / 2, 2.2250738585072014e-308]) near(x);
    for (let e = -323; e <= 308; e++) near(Number(`1e${e}`));
    for (let e = -1073; e <= 1023; e++) near(2 ** e);
    both(Number.MAX_VALUE, wrong);
    both(down(Number.MAX_VALUE), wrong);
    both(Number.MIN_VALUE, wrong);
    expect(wrong).toEqual([]);
  });

  it('writes subnormals (the first 5000 and 20 000 random ones)', () => {
    const wrong: string[] = [];
    for (let t = 1; t <= 5000; t++) both(t * Number.MIN_VALUE, wrong);
    const r = new Rng(5);
    for (let i = 0; i < 20000; i++) both(fromBits(r.nextInt(0x100000), r.nextInt(0x100000000)), wrong);
    expect(wrong).toEqual([]);
  });

  it('writes 150 000 random bit patterns, 120 000 probabilities in (0, 1), 40 000 logits and 40 000 fractions up to 10^15', () => {
    const wrong: string[] = [];
    const r = new Rng(7);
    for (let i = 0; i < 150000; i++) {
      const x = fromBits(r.nextInt(0x100000000), r.nextInt(0x100000000));
      if (Number.isFinite(x)) check(x, wrong);
    }
    for (let i = 0; i < 100000; i++) check(r.next(), wrong);
    for (let i = 0; i < 20000; i++) check(1 / (1 + Math.exp(-r.gaussian() * 4)), wrong); // sigmoid outputs
    for (let i = 0; i < 20000; i++) both(3 * r.gaussian(), wrong); // logits (|x| ≥ 1: the point inside the digits)
    for (let i = 0; i < 20000; i++) both(r.next() * 10 ** r.nextInt(16), wrong); // fractions up to 10^15
    expect(wrong).toEqual([]);
  });

  it('writeNumberScratch writes NUMBER_SCRATCH[0] as writeJsNumber writes it (the doc example, and a few kinds)', () => {
    const out = new Uint8Array(32);
    NUMBER_SCRATCH[0] = 0.5;
    expect(writeNumberScratch(out, 0)).toBe(3);
    expect(String.fromCharCode(...out.subarray(0, 3))).toBe('0.5');
    for (const x of [-0, 1732300000000, -2.5e-300, 1e21, NaN, -Infinity, 0.1 + 0.2]) {
      NUMBER_SCRATCH[0] = x;
      const end = writeNumberScratch(out, 1);
      expect(String.fromCharCode(...out.subarray(1, end))).toBe(String(x));
    }
  });

  it('never writes more than JS_NUMBER_MAX_BYTES (the longest forms)', () => {
    for (const x of [-0.0000012345678901234567, -1.2345678901234567e-308, -123456789012345680000, -2.2250738585072014e-308]) {
      const end = writeJsNumber(x, buf, 0);
      expect(end).toBe(String(x).length);
      expect(end).toBeLessThanOrEqual(JS_NUMBER_MAX_BYTES);
    }
    expect(String(-0.0000012345678901234567).length).toBe(JS_NUMBER_MAX_BYTES);
  });
});
