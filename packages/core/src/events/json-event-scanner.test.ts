import { Rng } from '@logit-stream/kernel';
import { describe, expect, it, vi } from 'vitest';
import { FeatureSpace } from '../features/index.js';
import { EventDecoder, MAX_ID_LENGTH, MAX_TS, RAW_COUNT_MIN_BYTES } from './event-decoder.js';
import { JsonEventScanner } from './json-event-scanner.js';
import type { DecodedEvent, Rejection } from './types.js';

// Tolerance everywhere: exact. Numbers are compared with Object.is (so −0 and +0 differ, NaN equals
// NaN), rejections by code and reason text, and the accepted event field by field.

const enc = new TextEncoder();
const hashedSpace = (bits: number, seed = 0) => new FeatureSpace({ kind: 'hashed', bits, seed });
const denseSpace = (dim: number) => new FeatureSpace({ kind: 'dense', dim });
const scannerFor = (space: FeatureSpace, maxFeatures = 1000) => new JsonEventScanner({ space, maxFeatures, maxIdLength: MAX_ID_LENGTH, maxTs: MAX_TS });

/** The event's fields as a comparable list (values as [Object.is-tagged] strings so that −0 shows). */
function fields(e: DecodedEvent): unknown[] {
  const tag = (v: number | null) => (v === null ? null : Object.is(v, -0) ? '-0' : String(v));
  const x: unknown[] = [];
  for (let k = 0; k < e.x.nnz; k++) x.push([e.x.idx[k], tag(e.x.val[k])]);
  return [e.id, tag(e.ts), tag(e.label), e.trusted, tag(e.sourceLabel), e.x.isDense, x];
}

/** A fast and a slow decoder over one space, each with its own reused event, plus a bare scanner. */
class Pair {
  readonly fast: EventDecoder;
  readonly slow: EventDecoder;
  readonly scanner: JsonEventScanner;
  readonly ef: DecodedEvent;
  readonly es: DecodedEvent;
  readonly e3: DecodedEvent;
  scannerAccepted = 0;
  inputs = 0;
  constructor(space: FeatureSpace, maxFeatures: number) {
    this.fast = new EventDecoder({ space, maxFeatures });
    this.slow = new EventDecoder({ space, maxFeatures, jsonFastPath: false });
    this.scanner = scannerFor(space, maxFeatures);
    this.ef = this.fast.newEvent();
    this.es = this.slow.newEvent();
    this.e3 = this.fast.newEvent();
  }

  /** Null when both decoders agree exactly (and a scanner acceptance matches the slow result), else what differs. */
  mismatch(b: Uint8Array): string | null {
    this.inputs++;
    const rf: Rejection | null = this.fast.decode(b, this.ef);
    const rs: Rejection | null = this.slow.decode(b, this.es);
    const text = JSON.stringify(new TextDecoder().decode(b));
    if (JSON.stringify(rf) !== JSON.stringify(rs)) return `${text}: fast ${JSON.stringify(rf)} vs slow ${JSON.stringify(rs)}`;
    if (rs === null && JSON.stringify(fields(this.ef)) !== JSON.stringify(fields(this.es))) {
      return `${text}: fast ${JSON.stringify(fields(this.ef))} vs slow ${JSON.stringify(fields(this.es))}`;
    }
    if (b.length > 0 && b[0] !== 0xb1 && this.scanner.scan(b, this.e3)) {
      this.scannerAccepted++;
      if (rs !== null) return `${text}: scanner accepted, slow path ${JSON.stringify(rs)}`;
      if (JSON.stringify(fields(this.e3)) !== JSON.stringify(fields(this.es))) return `${text}: scanner ${JSON.stringify(fields(this.e3))}`;
    }
    return null;
  }
}

// ------------------------------------------------------------------------------------ random events

class Gen {
  readonly r: Rng;
  constructor(seed: number) {
    this.r = new Rng(seed);
  }
  int(n: number): number {
    return this.r.nextInt(n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
  chance(p: number): boolean {
    return this.r.next() < p;
  }
  /** JSON whitespace, usually none; rarely a byte JSON does not allow there. */
  ws(): string {
    if (!this.chance(0.25)) return '';
    if (this.chance(0.01)) return this.pick(['\f', '\u00a0', '\v']);
    let s = '';
    const k = 1 + this.int(3);
    for (let i = 0; i < k; i++) s += this.pick([' ', '\t', '\n', '\r']);
    return s;
  }
  /** A number as JSON text (sometimes not valid JSON). */
  number(): string {
    return randomNumberText(this);
  }
  /** A string literal's text (with quotes), from a pool with unicode and escapes. */
  str(pool: readonly string[]): string {
    return this.pick(pool);
  }
  id(): string {
    const k = this.int(20);
    if (k < 10) return `"e-${this.int(100000)}"`;
    switch (k) {
      case 10:
        return '"é-日本-😀"';
      case 11:
        return '"a\\u0062c"';
      case 12:
        return '"line\\nbreak"';
      case 13:
        return '""';
      case 14:
        return `"${'x'.repeat(MAX_ID_LENGTH + this.int(2))}"`;
      case 15:
        return `"${'日'.repeat(100 + this.int(200))}"`; // 3 bytes, 1 UTF-16 unit each
      case 16:
        return this.pick(['17', 'null', 'true', '{}', '["a"]']);
      case 17:
        return `"${'😀'.repeat(127 + this.int(3))}"`; // 2 UTF-16 units each: 254..258
      case 18:
        return '"\uFEFFbom"';
      default:
        return `"${String.fromCharCode(0x20 + this.int(95)).replace(/["\\]/, '_')}${this.int(1000)}"`;
    }
  }
  /** A value for an unknown top-level key: any JSON, sometimes with forbidden or escaped keys. */
  json(depth: number): string {
    const k = this.int(depth > 3 ? 5 : 8);
    switch (k) {
      case 0:
        return this.number();
      case 1:
        return this.pick(['"x"', '"a\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9"', '"é"', '"\\ud800"', '"bad\\x"', '"\\u12"']);
      case 2:
        return this.pick(['true', 'false', 'null', 'nul', 'tru']);
      case 3:
        return '""';
      case 4:
        return this.pick(['[]', '{}']);
      case 5: {
        const n = this.int(4);
        const a: string[] = [];
        for (let i = 0; i < n; i++) a.push(this.ws() + this.json(depth + 1) + this.ws());
        return `[${a.join(',')}]`;
      }
      default: {
        const n = this.int(4);
        const a: string[] = [];
        for (let i = 0; i < n; i++) {
          const key = this.pick(['"k"', '"k2"', '"é"', '"__proto__"', '"constructor"', '"prototype"', '"\\u005f_proto__"', '"a\\u0062"', '""']);
          a.push(`${this.ws()}${key}${this.ws()}:${this.ws()}${this.json(depth + 1)}${this.ws()}`);
        }
        return `{${a.join(',')}}`;
      }
    }
  }
}

const NAMES = [
  '"a"', '"b"', '"c"', '"age"', '"word:free"', '"f00"', '"f01"', '"f02"', '"x y"',
  '"0"', '"1"', '"2"', '"3"', '"4"', '"17"', '"4294967294"', '"4294967295"', '"01"', '"-1"', '"1.0"',
  '"é"', '"日本"', '"😀"', '"\\u0061"', '"a\\nb"', '""', '"__proto__"', '"constructor"', '"prototype"',
];
const SPECIAL_NUMBERS = [
  '0', '-0', '1', '-1', '0.5', '-0.0', '0e0', '-0E-5', '1e5', '1.5E-7', '2e+22', '3e23', '1e-22', '1e-23', '0.1', '0.3',
  '9007199254740991', '9007199254740992', '9007199254740993', '900719925474099.1', '123456789012345678901234', '1.7976931348623157e308',
  '1e308', '1.8e308', '1e999', '-1e999', '5e-324', '4.9e-324', '2.5e-324', '2.4e-324', '2.2250738585072014e-308', '2.225073858507201e-308',
  '0.30000000000000004', '0.1000000000000000055511151231257827', '1.00000000000000011102230246251565404236316680908203125',
  '1e-05', '1.5E+00', '0e-0', '2.5e0022', // exponents with leading zeros (Python's repr writes 1e-05)
  '8640000000000000', '8640000000000001', '-8640000000000000', '1732300000000', '1e1000000', '1e-1000000', '0.00000000000000000000000001',
  '01', '-01', '00', '-00.5', '+1', '.5', '1.', '-.5', '1e', '1e+', '1E-', '-', '--1', '-a', '1.e5', '0.0e', '0x10', 'NaN', 'Infinity', '-Infinity', '1_0', '１',
];

function randomNumberText(g: Gen): string {
  const k = g.int(10);
  switch (k) {
    case 0:
      return g.pick(SPECIAL_NUMBERS);
    case 1:
      return String(g.int(2000) - 1000);
    case 2:
      return JSON.stringify(g.r.next()); // 15–17 significant digits
    case 3:
      return JSON.stringify(Math.round(g.r.gaussian() * 1e6) / 1e6);
    case 4:
      return String(randomDouble(g));
    case 5: {
      // random digits, point and exponent
      let s = g.chance(0.3) ? '-' : '';
      const d = 1 + g.int(25);
      s += String(1 + g.int(9));
      for (let i = 1; i < d; i++) s += String(g.int(10));
      if (g.chance(0.5)) {
        const at = 1 + g.int(s.length);
        s = s.slice(0, at) + (at < s.length ? '.' + s.slice(at) : '');
      }
      if (g.chance(0.5)) s += g.pick(['e', 'E']) + g.pick(['', '+', '-']) + String(g.int(g.chance(0.5) ? 30 : 330));
      return s;
    }
    case 6:
      return (g.r.gaussian() * 10 ** (g.int(40) - 20)).toExponential(g.int(20));
    case 7:
      return `0.${'0'.repeat(g.int(30))}${1 + g.int(999)}`;
    default:
      return (Math.round(g.r.next() * 1e4) / 1e4).toString();
  }
}

const bits64 = new Float64Array(1);
const words = new Uint32Array(bits64.buffer);
function randomDouble(g: Gen): number {
  words[0] = g.int(0x100000000);
  words[1] = g.int(0x100000000);
  const v = bits64[0];
  return Number.isFinite(v) ? v : 0.25;
}

const CLEAN_NAMES = ['"a"', '"b"', '"c"', '"age"', '"word:free"', '"f00"', '"f01"', '"f02"', '"x y"', '"é"', '"日本"', '"😀"', '""', '"4294967295"', '"01"', '"-1"'];

/**
 * A random event as JSON text, with random whitespace and key order. `clean`: valid and within the
 * fast path (numbers of every valid kind, unicode ids and names, extra keys with escapes in values);
 * else anything: duplicates, forbidden or escaped keys, wrong types, out-of-range values, bad numbers.
 */
function randomEvent(g: Gen, denseDim: number, clean: boolean): string {
  const members: [string, string][] = [];
  const num = () => (clean ? g.pick(['0.5', '-0', '1e-5', String(g.int(100) - 50), JSON.stringify(g.r.gaussian()), JSON.stringify(randomDouble(g)), g.r.gaussian().toExponential(g.int(17)), g.pick(['5e-324', '1e308', '9007199254740993', '0.1e1', '123456789012345678901234'])]) : g.number());
  members.push(['"id"', clean ? g.pick(['"e-1"', `"e-${g.int(100000)}"`, '"é-日本-😀"', `"${'x'.repeat(MAX_ID_LENGTH)}"`, '"\uFEFFbom"']) : g.id()]);
  if (g.chance(0.7)) members.push(['"ts"', g.chance(0.8) || clean ? String(1732300000000 + g.int(1e6)) : g.pick(['null', '-0', '8640000000000000', '8640000000000001', '1e999', '"x"', g.number()])]);
  if (g.chance(0.8)) members.push(['"label"', g.pick(clean ? ['0', '1', '0.5', '-0', 'null', '1e-400', '0.30000000000000004'] : ['0', '1', '0.5', '0.85', '-0', 'null', 'true', '"1"', '1.5', '-0.1', '1e999', '1e-400', '-1e-400', '0.30000000000000004'])]);
  if (g.chance(0.3)) members.push(['"trusted"', g.pick(clean ? ['true', 'false', 'null'] : ['true', 'false', 'null', '0', '"x"'])]);
  if (g.chance(0.3)) members.push(['"sourceLabel"', g.pick(clean ? ['0', '1', '-0', 'null', '0.25'] : ['0', '1', '-0', 'null', '0.25', '2', 'false'])]);
  // features
  const n = g.chance(0.05) ? 0 : 1 + g.int(g.chance(0.1) ? 40 : 12);
  const vals = () => (clean || g.chance(0.97) ? num() : g.pick(['null', 'true', '"1"', '{}', '[1]', '{"__proto__":1}']));
  let features: string;
  if (g.chance(0.3)) {
    const m = (g.chance(0.5) || clean) && denseDim > 0 ? denseDim : n;
    const a: string[] = [];
    for (let i = 0; i < m; i++) a.push(g.ws() + vals() + g.ws());
    features = `[${a.join(',')}]`;
  } else {
    const a: string[] = [];
    const ascending = denseDim > 0 && (clean || g.chance(0.6));
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      let name: string;
      if (ascending) name = `"${i}"`;
      else if (clean) {
        name = g.pick(CLEAN_NAMES);
        if (used.has(name)) continue;
        used.add(name);
      } else name = g.chance(0.3) && denseDim > 0 ? `"${g.int(denseDim + 1)}"` : g.pick(NAMES);
      if (ascending && denseDim > 0 && i >= denseDim) break;
      a.push(`${g.ws()}${name}${g.ws()}:${g.ws()}${vals()}${g.ws()}`);
    }
    features = `{${a.join(',')}}`;
  }
  members.push(['"features"', features]);
  if (clean && g.chance(0.2)) members.push([g.pick(['"meta"', '"é"', '""']), g.pick(['{"a":[1,2,{"b":"x\\u00e9\\n"}],"c":null}', '"s\\"q"', '[]', 'true', '-1.5e3'])]);
  if (!clean && g.chance(0.2)) members.push([g.pick(['"meta"', '"entity"', '"é"', '"__proto__"', '"constructor"', '"\\u0069d"', '""']), g.json(0)]);
  if (!clean && g.chance(0.05)) members.push(g.pick(members)); // a repeated key: the last one wins in JSON.parse
  // shuffle
  for (let i = members.length - 1; i > 0; i--) {
    const j = g.int(i + 1);
    [members[i], members[j]] = [members[j], members[i]];
  }
  return `${g.ws()}{${members.map(([k, v]) => `${g.ws()}${k}${g.ws()}:${g.ws()}${v}${g.ws()}`).join(',')}}${g.ws()}`;
}

/** Truncation, byte corruption, insertion or deletion of a valid event's bytes. */
function corrupt(g: Gen, b: Uint8Array): Uint8Array {
  const out = Uint8Array.from(b);
  const at = g.int(b.length);
  switch (g.int(4)) {
    case 0:
      return out.subarray(0, at);
    case 1:
      out[at] = g.pick([0x22, 0x5c, 0x2c, 0x3a, 0x7b, 0x7d, 0x5b, 0x5d, 0x30, 0x2d, 0x65, 0x2e, 0x20, 0x00, 0x80, 0xc3, 0xff, g.int(256)]);
      return out;
    case 2: {
      const ins = g.pick([0x2c, 0x22, 0x30, 0x20, 0x7d, 0xe6]);
      const r = new Uint8Array(b.length + 1);
      r.set(b.subarray(0, at));
      r[at] = ins;
      r.set(b.subarray(at), at + 1);
      return r;
    }
    default: {
      const r = new Uint8Array(b.length - 1);
      r.set(b.subarray(0, at));
      r.set(b.subarray(at + 1), at);
      return r;
    }
  }
}

function fuzz(space: FeatureSpace, maxFeatures: number, seed: number, count: number): Pair {
  const pair = new Pair(space, maxFeatures);
  const g = new Gen(seed);
  const denseDim = space.kind === 'dense' ? space.dim : g.chance(0.5) ? 3 : 0;
  const bad: string[] = [];
  for (let i = 0; i < count && bad.length < 5; i++) {
    const b = enc.encode(randomEvent(g, denseDim, i % 2 === 0));
    const m = pair.mismatch(b);
    if (m !== null) bad.push(m);
    const c = pair.mismatch(corrupt(g, b));
    if (c !== null) bad.push(c);
  }
  expect(bad).toEqual([]);
  return pair;
}

describe('JsonEventScanner: fast path ≡ slow path on random events (exact: codes, reasons, fields, Object.is values)', () => {
  const cases: [string, FeatureSpace, number][] = [
    ['hashed 2^18', hashedSpace(18), 1000],
    ['hashed 2^18 seed 7, maxFeatures 8', hashedSpace(18, 7), 8],
    ['hashed 2^1 (collisions everywhere)', hashedSpace(1), 1000],
    ['hashed 2^2', hashedSpace(2, 3), 1000],
    ['hashed 2^4, maxFeatures 5', hashedSpace(4), 5],
    ['dense 3', denseSpace(3), 1000],
    ['dense 5, maxFeatures 5', denseSpace(5), 5],
  ];
  cases.forEach(([name, space, maxFeatures], k) => {
    it(`${name}: 2 × 2500 events (valid and corrupted) decode identically, and the scanner accepts many`, () => {
      const pair = fuzz(space, maxFeatures, 100 + k, 2500);
      // the fast path must actually be exercised: a good share of the inputs go through it
      expect(pair.scannerAccepted).toBeGreaterThan(pair.inputs * 0.1);
    });
  });
});

describe('JsonEventScanner before the raw feature count (messages ≥ RAW_COUNT_MIN_BYTES): identical results', () => {
  it('1500 long events with maxFeatures − 1 … maxFeatures + 3 entries, repeats, nested "features" keys (exact)', () => {
    const max = 30;
    const pair = new Pair(hashedSpace(6), max);
    const g = new Gen(77);
    const bad: string[] = [];
    let long = 0;
    for (let i = 0; i < 1500 && bad.length < 5; i++) {
      const count = max - 1 + g.int(5);
      const entries: string[] = [];
      for (let k = 0; k < count; k++) {
        const name = g.chance(0.03) && k > 0 ? `"name_${g.int(k)}_padding_padding"` : `"name_${k}_padding_padding"`;
        entries.push(`${name}:${JSON.stringify(g.r.gaussian())}`);
      }
      const dense = g.chance(0.3);
      const features = dense ? `[${entries.map((e) => e.slice(e.indexOf(':') + 1)).join(',')}]` : `{${entries.join(',')}}`;
      const extra = g.pick(['', '"meta":{"features":[1,2,3]},', '"features2":{"a":1},', '"x":"\\"features\\": [",']);
      const text = `{${extra}"id":"long-${i}","features":${features},"label":1}`;
      const b = enc.encode(text);
      if (b.length >= RAW_COUNT_MIN_BYTES) long++;
      const m = pair.mismatch(b);
      if (m !== null) bad.push(m);
    }
    expect(bad).toEqual([]);
    expect(long).toBeGreaterThan(1000); // the raw count does run on these
    expect(pair.scannerAccepted).toBeGreaterThan(300);
  });
});

describe('EventDecoder uses the scanner', () => {
  it('decode tries it first on JSON (accepted there, JSON.parse never runs); jsonFastPath: false never calls it', () => {
    const scan = vi.spyOn(JsonEventScanner.prototype, 'scan');
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const msg = enc.encode('{"id":"e-1","features":{"a":1}}');
      const on = new EventDecoder({ space: hashedSpace(18) });
      expect(on.decode(msg, on.newEvent())).toBeNull();
      expect(scan).toHaveBeenCalledTimes(1);
      expect(scan.mock.results[0].value).toBe(true);
      expect(parse).not.toHaveBeenCalled();
      const off = new EventDecoder({ space: hashedSpace(18), jsonFastPath: false });
      expect(off.decode(msg, off.newEvent())).toBeNull();
      expect(scan).toHaveBeenCalledTimes(1);
      expect(parse).toHaveBeenCalledTimes(1);
      // a bail-out (an escape) goes on to the slow path, which accepts it
      expect(on.decode(enc.encode('{"id":"e\\u002d1","features":{"a":1}}'), on.newEvent())).toBeNull();
      expect(scan.mock.results[1].value).toBe(false);
      expect(parse).toHaveBeenCalledTimes(2);
    } finally {
      scan.mockRestore();
      parse.mockRestore();
    }
  });
});

describe('JsonEventScanner: numbers become the double JSON.parse gives (exact, Object.is)', () => {
  const space = hashedSpace(18);
  const scanner = scannerFor(space);
  const ev = new EventDecoder({ space }).newEvent();
  /** The scanner's value for `text` as the only dense feature, or undefined when it bails out. */
  const read = (text: string): number | undefined => (scanner.scan(enc.encode(`{"id":"n","features":[${text}]}`), ev) ? ev.x.val[0] : undefined);
  const reference = (text: string): number | undefined => {
    try {
      const v = JSON.parse(text) as unknown;
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    } catch {
      return undefined;
    }
  };
  const check = (texts: readonly string[]) => {
    const wrong: string[] = [];
    for (const t of texts) {
      const got = read(t);
      const want = reference(t);
      if (!(got === undefined ? want === undefined : want !== undefined && Object.is(got, want))) wrong.push(`${t}: ${String(got)} vs ${String(want)}`);
    }
    expect(wrong).toEqual([]);
  };

  it('special cases: −0, 2^53 ± 1, 10^±22 edges, subnormals, the largest double, overflow (1e999 bails), bad grammar (bails)', () => {
    check(SPECIAL_NUMBERS);
    expect(Object.is(read('-0'), -0)).toBe(true);
    expect(read('1e999')).toBeUndefined();
    expect(read('01')).toBeUndefined();
    expect(read('5e-324')).toBe(5e-324);
  });

  it('20 000 random numbers (random doubles, 1–25 random digits with exponents, toExponential, short decimals)', () => {
    const g = new Gen(5);
    const texts: string[] = [];
    for (let i = 0; i < 20_000; i++) texts.push(randomNumberText(g));
    check(texts);
  });

  it('the shortest form and every toPrecision(1..21) of 3000 random doubles', () => {
    const g = new Gen(6);
    const texts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const v = randomDouble(g);
      texts.push(String(v), String(-v));
      const p = 1 + g.int(21);
      const s = v.toPrecision(p);
      if (/^-?\d+(\.\d+)?(e[+-]\d+)?$/.test(s)) texts.push(s);
    }
    check(texts);
  });

  it('beyond Clinger (Eisel–Lemire or Number()): 17–20-digit significands, |e| > 22, ties, leading zeros, subnormal and overflow edges', () => {
    const g = new Gen(7);
    const texts: string[] = [
      '9007199254740993', '-9007199254740993', '9007199254740992.5', '18446744073709551615', '18446744073709551616', '9999999999999999999',
      '10000000000000000000', '0.00000000000000000000000000001234567890123456789', '-0.000000000000000000000000000000000000000000000000000001',
      '1e-30', '-1e-30', '7e-300', '1e23', '1e-23', '4.9e-324', '2.4703282292062327e-324', '2.4703282292062328e-324', '-2e-400',
      '2.2250738585072011e-308', '2.2250738585072014e-308', '1.7976931348623157e308', '1.7976931348623158e308', '1.7976931348623159e308',
      '-1.8e308', '1.797693134862315807e308', '1.797693134862315808e308', '123456789012345678.9e-5', '12345678901234567890e-10', '0.1e-400',
    ];
    for (let i = 0; i < 4000; i++) {
      const v = g.r.next();
      texts.push(JSON.stringify(v), JSON.stringify(-v * 1e-30), v.toPrecision(17 + g.int(4)), (v * 1e300).toExponential(16 + g.int(4)));
      let s = String(1 + g.int(9));
      const n = 16 + g.int(5); // 20 digits: Number()
      while (s.length < n) s += String(g.int(10));
      texts.push(`${s}e${g.int(661) - 350}`, `${s.slice(0, 1)}.${s.slice(1)}E+${g.int(30)}`);
    }
    // the 9-digit chunks of the significand at every alignment: 0–40 leading zeros, the point anywhere
    for (const digits of ['1844674407370955161', '1844674407370955162', '9999999999999999999', '18446744073709551615', '1234567890123456789', '9007199254740993']) {
      for (let z = 0; z <= 40; z++) texts.push(`0.${'0'.repeat(z)}${digits}`, `0.${'0'.repeat(z)}${digits}e${z + 5}`);
      for (let at = 1; at < digits.length; at++) texts.push(`${digits.slice(0, at)}.${digits.slice(at)}`, `${digits.slice(0, at)}.${digits.slice(at)}e-300`);
    }
    check(texts);
    expect(Object.is(read('-1e-400'), -0)).toBe(true);
    expect(read('1e309')).toBeUndefined(); // Infinity: rejected as non-finite, as before
  });
});

describe('JsonEventScanner: accepts the common shapes', () => {
  it('named features in a hashed space: same slots, values and order as the slow path', () => {
    const pair = new Pair(hashedSpace(18), 1000);
    const text = ' {\n "features" : {"age": 0.3, "word:free": 1, "é": -2.5e-3}, "label":0.85,"trusted":true,"sourceLabel":0,"ts":1732300000000, "id":"e-17"}\t';
    expect(pair.scanner.scan(enc.encode(text), pair.e3)).toBe(true);
    expect(pair.mismatch(enc.encode(text))).toBeNull();
    expect(pair.e3.x.nnz).toBe(3);
  });

  it("Python's json.dumps layout (', ' and ': ' separators, 1e-05) is accepted", () => {
    const pair = new Pair(hashedSpace(18), 1000);
    const text = '{"id": "e-1", "ts": 1732300000000, "features": {"age": 0.3, "word:free": 1e-05}, "label": 1, "trusted": false, "sourceLabel": null}';
    expect(pair.scanner.scan(enc.encode(text), pair.e3)).toBe(true);
    expect(pair.mismatch(enc.encode(text))).toBeNull();
  });

  it('colliding names (2 slots) are summed in JavaScript key order, index names first', () => {
    const pair = new Pair(hashedSpace(1), 1000);
    const text = '{"id":"c","features":{"0":1,"5":0.1,"a":0.2,"b":0.3,"c":1e-17,"d":-0}}';
    expect(pair.scanner.scan(enc.encode(text), pair.e3)).toBe(true);
    expect(pair.mismatch(enc.encode(text))).toBeNull();
  });

  it('a dense array and named column indices in a dense space; an unknown key with nested values is skipped', () => {
    const pair = new Pair(denseSpace(3), 1000);
    for (const text of [
      '{"id":"d","features":[1,-0,2.5]}',
      '{"id":"d","features":{"0":1,"2":-0}}',
      '{"id":"d","meta":{"a":[1,{"b":"x\\u00e9\\n"}],"c":null},"features":[1,2,3]}',
    ]) {
      expect(pair.scanner.scan(enc.encode(text), pair.e3)).toBe(true);
      expect(pair.mismatch(enc.encode(text))).toBeNull();
    }
  });

  it('a non-ASCII id (decoded from its bytes, a leading U+FEFF kept) and a 256-unit id', () => {
    const pair = new Pair(hashedSpace(18), 1000);
    for (const id of ['\uFEFFé-日本-😀', 'x'.repeat(256), '😀'.repeat(128)]) {
      const text = JSON.stringify({ id, features: { a: 1 } });
      expect(pair.scanner.scan(enc.encode(text), pair.e3)).toBe(true);
      expect(pair.e3.id).toBe(id);
      expect(pair.mismatch(enc.encode(text))).toBeNull();
    }
  });
});

describe('JsonEventScanner: falls back (returns false) on anything unusual, and the slow path decides', () => {
  const bails: [string, string | Uint8Array][] = [
    ['an escape in the id', '{"id":"a\\u0062","features":{}}'],
    ['an escape in a feature name', '{"id":"a","features":{"\\u0061":1}}'],
    ['an escape in a top-level key', '{"\\u0069d":"a","features":{}}'],
    ['an escaped key in a skipped value', '{"id":"a","m":{"\\u005f_proto__":1},"features":{}}'],
    ['invalid UTF-8 in a string (0xFF)', Uint8Array.from([...enc.encode('{"id":"a'), 0xff, ...enc.encode('","features":{}}')])],
    ['invalid UTF-8 in a feature name (a cut 2-byte sequence)', Uint8Array.from([...enc.encode('{"id":"a","features":{"'), 0xc3, ...enc.encode('":1}}')])],
    ['non-ASCII outside strings', Uint8Array.from([...enc.encode('{"id":"a","features":[1'), 0xc2, 0xa0, ...enc.encode(']}')])],
    ['a control character in a string', '{"id":"a\tb","features":{}}'],
    ['a repeated top-level key', '{"id":"a","id":"b","features":{}}'],
    ['a repeated feature name', '{"id":"a","features":{"x":1,"x":2}}'],
    ['a repeated index name', '{"id":"a","features":{"3":1,"3":2}}'],
    ['an index name after a plain name', '{"id":"a","features":{"x":1,"3":2}}'],
    ['index names not ascending', '{"id":"a","features":{"4":1,"3":2}}'],
    ['a forbidden key at the top level', '{"id":"a","__proto__":{},"features":{}}'],
    ['a forbidden feature name', '{"id":"a","features":{"constructor":1}}'],
    ['a forbidden key nested in a skipped value', '{"id":"a","m":[{"prototype":1}],"features":{}}'],
    ['a skipped value nested 65 deep', `{"id":"a","m":${'['.repeat(65)}${']'.repeat(65)},"features":{}}`],
    ['a feature value that is not a number', '{"id":"a","features":{"x":true}}'],
    ['a feature value that overflows', '{"id":"a","features":{"x":1e999}}'],
    ['no id', '{"features":{}}'],
    ['an empty id', '{"id":"","features":{}}'],
    ['an id over 256 units', `{"id":"${'x'.repeat(257)}","features":{}}`],
    ['a numeric id', '{"id":17,"features":{}}'],
    ['no features', '{"id":"a"}'],
    ['features not a container', '{"id":"a","features":3}'],
    ['ts out of range', '{"id":"a","ts":8640000000000001,"features":{}}'],
    ['ts a string', '{"id":"a","ts":"1","features":{}}'],
    ['label out of range', '{"id":"a","label":1.5,"features":{}}'],
    ['label a boolean', '{"id":"a","label":true,"features":{}}'],
    ['trusted a number', '{"id":"a","trusted":1,"features":{}}'],
    ['sourceLabel out of range', '{"id":"a","sourceLabel":-0.5,"features":{}}'],
    ['more than maxFeatures', '{"id":"a","features":{"a":1,"b":2,"c":3,"d":4,"e":5}}'],
    ['an array longer than maxFeatures', '{"id":"a","features":[1,2,3,4,5]}'],
    ['a number with a leading zero', '{"id":"a","features":[01]}'],
    ['a number with a plus sign', '{"id":"a","features":[+1]}'],
    ['a trailing comma', '{"id":"a","features":[1,],}'],
    ['a byte order mark', '\uFEFF{"id":"a","features":{}}'],
    ['trailing bytes', '{"id":"a","features":{}} x'],
    ['not an object', '["id","a"]'],
    ['truncated', '{"id":"a","features":{"x":1'],
    ['a form feed as whitespace', '{"id":"a",\f"features":{}}'],
  ];
  const scanner = scannerFor(hashedSpace(18), 4);
  const ev = new EventDecoder({ space: hashedSpace(18), maxFeatures: 4 }).newEvent();
  for (const [why, text] of bails) {
    it(`${why}`, () => {
      expect(scanner.scan(typeof text === 'string' ? enc.encode(text) : text, ev)).toBe(false);
    });
  }

  it('dense space: a non-index name, an index ≥ dim, an array of the wrong length, "01"', () => {
    const s = scannerFor(denseSpace(3));
    const e = new EventDecoder({ space: denseSpace(3) }).newEvent();
    for (const text of ['{"id":"a","features":{"x":1}}', '{"id":"a","features":{"3":1}}', '{"id":"a","features":[1,2]}', '{"id":"a","features":{"01":1}}']) {
      expect(s.scan(enc.encode(text), e)).toBe(false);
    }
    expect(s.scan(enc.encode('{"id":"a","features":{"1":1}}'), e)).toBe(true);
  });

  it('hashed space: an array longer than dim; a DecodedEvent smaller than maxFeatures', () => {
    const s = scannerFor(hashedSpace(1));
    const big = new EventDecoder({ space: hashedSpace(1) }).newEvent();
    expect(s.scan(enc.encode('{"id":"a","features":[1,2,3]}'), big)).toBe(false);
    expect(s.scan(enc.encode('{"id":"a","features":[1,2]}'), big)).toBe(true);
    const small = new EventDecoder({ space: hashedSpace(1), maxFeatures: 2 }).newEvent();
    expect(s.scan(enc.encode('{"id":"a","features":[1,2]}'), small)).toBe(false);
  });

  it('through EventDecoder, a too-small DecodedEvent still throws the slow path CoreError', () => {
    const d = new EventDecoder({ space: hashedSpace(18), maxFeatures: 10 });
    const small = new EventDecoder({ space: hashedSpace(18), maxFeatures: 2 }).newEvent();
    expect(() => d.decode(enc.encode('{"id":"a","features":{}}'), small)).toThrow(/capacity 2 is below maxFeatures 10/);
  });
});

describe('JsonEventScanner: from the review (exact against the slow path)', () => {
  it('an exponent of 7+ digits is not cut to 6 (0.{99999 zeros}1e1000000 is Infinity: non-finite, not 1)', () => {
    const space = hashedSpace(18);
    const p = new Pair(space, 1000);
    const big = (at: string) => enc.encode(`{"id":"a",${at}}`);
    const huge = `0.${'0'.repeat(99_999)}1e1000000`;
    const fast = new EventDecoder({ space, maxBytes: 1 << 20 });
    const slow = new EventDecoder({ space, maxBytes: 1 << 20, jsonFastPath: false });
    for (const body of [`"features":[${huge}]`, `"ts":${huge},"features":[1]`, `"label":${huge},"features":[1]`, `"features":[0.${'0'.repeat(99_999)}1e99999]`]) {
      const b = big(body);
      const rs = slow.decode(b, p.es);
      expect(fast.decode(b, p.ef)).toEqual(rs);
    }
    expect(slow.decode(big(`"features":[${huge}]`), p.es)?.code).toBe('non-finite');
  });

  it('many distinct names on few slots (a 2^1 space, 1000 names) decode exactly, through the bounded duplicate check', () => {
    for (const bits of [1, 4]) {
      const p = new Pair(hashedSpace(bits), 1000);
      const named = Array.from({ length: 1000 }, (_, k) => `"n${k}":${(k % 7) / 8}`).join(',');
      expect(p.mismatch(enc.encode(`{"id":"a","features":{${named}}}`))).toBeNull();
      expect(p.mismatch(enc.encode(`{"id":"a","features":{${named},"n5":3}}`))).toBeNull(); // a real repeat: the last value wins
    }
  });
});
