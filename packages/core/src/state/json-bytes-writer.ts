import { base64Length, encodeBase64Into } from './base64.js';

const utf8 = new TextEncoder();
/** Strings up to this length are checked and copied character by character; longer ones natively. */
const SHORT = 32;
const AAAA = 0x41414141;
/** Runs of `A` worth recording for the checksum: 4 KiB (see crc32cWithRuns). */
const RUN_WORDS = 1024;
/** A block of `A`s compared natively in one go (a multiple of 4). */
const A_BLOCK = 'A'.repeat(512);
/** Words of `AAAA` in a row after which a run is worth the native compare. */
const SKIP_AFTER = 16;

/**
 * Writes JSON as UTF-8 bytes into one growing buffer, with no intermediate strings: the output of
 * {@link canonicalJson} (and of `JSON.stringify` for each primitive), byte for byte, for the
 * multi-megabyte snapshot bodies whose checksum is taken over those bytes. A string is copied
 * natively (`TextEncoder.encodeInto`) and checked 4 bytes at a time for the characters JSON escapes
 * (`"`, `\`, controls); any other string goes through `JSON.stringify`. Base64 of typed-array bytes
 * is written in place. The runs of `A` it writes as one fill, and those of at least 4 KiB that a
 * copied string holds, are recorded in {@link runs} so the checksum can take them whole.
 *
 * @example
 * const w = new JsonBytesWriter();
 * w.canonical({ b: [1, 'x'], a: null });
 * new TextDecoder().decode(w.bytes()) // '{"a":null,"b":[1,"x"]}'
 */
export class JsonBytesWriter {
  private buf: Uint8Array;
  private words: Int32Array;
  /** Bytes written so far. */
  pos = 0;
  /** `[start, end, …]`, ascending: runs of `A` in the output (each fill of {@link JsonBytesWriter.base64}, each ≥ 4 KiB run of a copied string). */
  readonly runs: number[] = [];

  /**
   * @param capacity - initial buffer size in bytes (it grows as needed), or a buffer to write into
   *   from its start (reused memory: no fresh pages to fault in; it must not be shared with anything
   *   that still needs its contents). A view whose `byteOffset` is not a multiple of 4 is not used.
   */
  constructor(capacity: number | Uint8Array = 1 << 16) {
    this.buf =
      typeof capacity !== 'number' && capacity.length >= 64 && (capacity.byteOffset & 3) === 0
        ? capacity
        : new Uint8Array(Math.max(64, typeof capacity === 'number' ? capacity : capacity.length));
    this.words = new Int32Array(this.buf.buffer, this.buf.byteOffset, this.buf.length >>> 2);
  }

  /** The whole internal buffer (written or not): to pass to the next writer as its memory. */
  memory(): Uint8Array {
    return this.buf;
  }

  /** The bytes written: a view of the internal buffer (whose `buffer` may be longer). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.max(2 * this.buf.length, need + (need >>> 2)));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.words = new Int32Array(next.buffer, 0, next.length >>> 2);
  }

  /** Writes `s` as is; every character must be ASCII (constants, numbers' text). */
  ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    const o = this.pos;
    for (let i = 0; i < n; i++) b[o + i] = s.charCodeAt(i);
    this.pos = o + n;
  }

  /** Writes one byte (an ASCII character code). */
  byte(c: number): void {
    this.ensure(1);
    this.buf[this.pos++] = c;
  }

  /** Writes `text` as UTF-8 (it must be well-formed: no lone surrogates, as `JSON.stringify` output is). */
  utf8(text: string): void {
    this.ensure(3 * text.length);
    this.pos += utf8.encodeInto(text, this.buf.subarray(this.pos)).written;
  }

  /** Writes `s` as `JSON.stringify(s)` does, in UTF-8. */
  string(s: string): void {
    const n = s.length;
    this.ensure(n + 2);
    const b = this.buf;
    const o = this.pos;
    b[o] = 34;
    if (n <= SHORT) {
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 32 || c === 34 || c === 92 || c > 127) return this.utf8(JSON.stringify(s));
        b[o + 1 + i] = c;
      }
    } else {
      const r = utf8.encodeInto(s, b.subarray(o + 1, o + 1 + n));
      if (r.read !== n || r.written !== n || !this.plain(s, o + 1, o + 1 + n)) return this.utf8(JSON.stringify(s));
    }
    b[o + 1 + n] = 34;
    this.pos = o + n + 2;
  }

  /** Writes a number as `JSON.stringify` does (shortest round-trip; `null` if not finite). */
  number(v: number): void {
    this.ascii(Number.isFinite(v) ? String(v) : 'null');
  }

  /** Writes the base64 of `bytes` (no quotes), recording its runs of `A`. */
  base64(bytes: Uint8Array): void {
    this.ensure(base64Length(bytes.length));
    this.pos = encodeBase64Into(bytes, this.buf, this.pos, this.runs);
  }

  /** Writes `v` exactly as {@link canonicalJson} does (keys sorted by UTF-16 code units, undefined properties skipped). */
  canonical(v: unknown): void {
    if (typeof v !== 'object' || v === null) {
      if (typeof v === 'string') this.string(v);
      else if (typeof v === 'number') this.number(v);
      else if (v === true) this.ascii('true');
      else if (v === false) this.ascii('false');
      else this.utf8(JSON.stringify(v) ?? 'null');
      return;
    }
    if (Array.isArray(v)) {
      this.byte(91);
      for (let i = 0; i < v.length; i++) {
        if (i > 0) this.byte(44);
        this.canonical(v[i]);
      }
      this.byte(93);
      return;
    }
    const keys = Object.keys(v).sort();
    this.byte(123);
    let first = true;
    for (const k of keys) {
      const value = (v as Record<string, unknown>)[k];
      if (value === undefined) continue;
      if (!first) this.byte(44);
      first = false;
      this.string(k);
      this.byte(58);
      this.canonical(value);
    }
    this.byte(125);
  }

  /**
   * True when no byte of `[start, end)` (all ASCII, the copy of `s`) is one JSON escapes: `"`, `\` or below 0x20.
   * Records the runs of at least 4 KiB of `A` it passes (a base64 text of zeros) in {@link runs}.
   */
  private plain(s: string, start: number, end: number): boolean {
    const b = this.buf;
    let i = start;
    for (; i < end && (i & 3) !== 0; i++) if (!plainByte(b[i])) return false;
    const w = this.words;
    const we = end >>> 2;
    let run = -1; // first word of the current run of AAAA
    for (let q = i >>> 2; q < we; q++) {
      const x = w[q];
      if (x === AAAA) {
        if (run < 0) run = q;
        else if (q - run === SKIP_AFTER) {
          // a long run: skip it a block at a time with a native compare of `s` (the same characters);
          // once per run, as the first block that fails holds the run's end
          let p = 4 * (q + 1);
          while (p + A_BLOCK.length <= end && s.slice(p - start, p - start + A_BLOCK.length) === A_BLOCK) p += A_BLOCK.length;
          q = (p >>> 2) - 1;
        }
        continue;
      }
      if (run >= 0) {
        if (q - run >= RUN_WORDS) this.runs.push(4 * run, 4 * q);
        run = -1;
      }
      const quote = x ^ 0x22222222;
      const slash = x ^ 0x5c5c5c5c;
      // some byte < 0x20, = 0x22 or = 0x5c (exact for ASCII bytes: see "hasless"/"haszero" bit tricks)
      if ((((x - 0x20202020) & ~x) | ((quote - 0x01010101) & ~quote) | ((slash - 0x01010101) & ~slash)) & 0x80808080) {
        this.dropRunsFrom(start);
        return false;
      }
    }
    if (run >= 0 && we - run >= RUN_WORDS) this.runs.push(4 * run, 4 * we);
    for (i = Math.max(i, we << 2); i < end; i++) {
      if (!plainByte(b[i])) {
        this.dropRunsFrom(start);
        return false;
      }
    }
    return true;
  }

  /** Forgets the runs recorded at or after `pos` (the text there is rewritten). */
  private dropRunsFrom(pos: number): void {
    while (this.runs.length > 0 && this.runs[this.runs.length - 2] >= pos) this.runs.length -= 2;
  }
}

function plainByte(c: number): boolean {
  return c >= 32 && c !== 34 && c !== 92;
}
