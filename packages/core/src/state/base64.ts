import { CoreError } from '../errors/index.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENC = new Uint8Array(64);
const DEC = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  const c = ALPHABET.charCodeAt(i);
  ENC[i] = c;
  DEC[c] = i;
}
/** ENC2[k]: the two characters of the 12-bit value k, the first in the low byte. */
const ENC2 = new Uint16Array(4096);
for (let k = 0; k < 4096; k++) ENC2[k] = ENC[k >>> 6] | (ENC[k & 63] << 8);
/** DEC2[c1 · 128 + c2]: the 12-bit value of the two ASCII characters c1 c2, or −1 if either is not in the alphabet. */
const DEC2 = new Int16Array(128 * 128).fill(-1);
for (let a = 0; a < 64; a++) for (let b = 0; b < 64; b++) DEC2[(ENC[a] << 7) | ENC[b]] = (a << 6) | b;
const PAD = 61; // '='
const A = 65; // 'A': the character of six zero bits
const ascii = new TextDecoder('utf-8');

/**
 * The length of the base64 text of `n` bytes (with padding): 4·⌈n/3⌉.
 *
 * @param n - number of bytes
 * @example
 * base64Length(4) // 8
 */
export function base64Length(n: number): number {
  return 4 * Math.ceil(n / 3);
}

/**
 * Encodes bytes as standard base64 (RFC 4648 §4, alphabet `A–Z a–z 0–9 + /`, `=` padding, no line
 * breaks). Pure TypeScript (no `Buffer`), so core stays free of Node APIs.
 *
 * @param bytes - the bytes to encode (any view; only `byteOffset .. byteOffset + length` is read)
 * @returns the base64 text
 * @example
 * encodeBase64(new TextEncoder().encode('hi!')) // 'aGkh'
 */
export function encodeBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(base64Length(bytes.length));
  encodeBase64Into(bytes, out, 0);
  return ascii.decode(out);
}

/**
 * Writes the base64 of `bytes` (as {@link encodeBase64} writes it) as ASCII bytes into `out` at
 * `offset`, with no intermediate string: 12 bits at a time from a two-character table, and, when
 * `bytes` is 4-byte aligned, runs of zero 12-byte chunks (most of a hashed model's weights) as one
 * fill of `A`.
 *
 * @param bytes - the bytes to encode (any view)
 * @param out - the destination; needs {@link base64Length}(bytes.length) bytes from `offset`
 * @param offset - where the text starts in `out`
 * @param runs - if given, receives `start, end` (offsets in `out`) of every run of `A` written as one
 *   fill, so a checksum can take them whole (see crc32cWithRuns)
 * @returns the offset just past the text
 * @throws RangeError when `out` is too short (nothing is written then)
 * @example
 * const out = new Uint8Array(4);
 * encodeBase64Into(new TextEncoder().encode('hi!'), out, 0) // 4, out holds 'aGkh'
 */
export function encodeBase64Into(bytes: Uint8Array, out: Uint8Array, offset: number, runs?: number[]): number {
  const n = bytes.length;
  if (offset < 0 || offset + base64Length(n) > out.length) {
    throw new RangeError(`base64 of ${n} bytes needs ${base64Length(n)} bytes at offset ${offset}, the output has ${out.length}`);
  }
  let o = offset;
  let i = 0;
  if ((bytes.byteOffset & 3) === 0 && n >= 12) {
    const chunks = Math.floor(n / 12);
    const w = new Int32Array(bytes.buffer, bytes.byteOffset, 3 * chunks);
    let c = 0;
    while (c < chunks) {
      if ((w[3 * c] | w[3 * c + 1] | w[3 * c + 2]) === 0) {
        let e = c + 1;
        while (e < chunks && (w[3 * e] | w[3 * e + 1] | w[3 * e + 2]) === 0) e++;
        out.fill(A, o, o + 16 * (e - c));
        if (runs !== undefined) runs.push(o, o + 16 * (e - c));
        o += 16 * (e - c);
        c = e;
        continue;
      }
      const end = 12 * c + 12;
      for (let j = 12 * c; j < end; j += 3) {
        const t = (bytes[j] << 16) | (bytes[j + 1] << 8) | bytes[j + 2];
        const h = ENC2[t >>> 12];
        const l = ENC2[t & 4095];
        out[o] = h;
        out[o + 1] = h >>> 8;
        out[o + 2] = l;
        out[o + 3] = l >>> 8;
        o += 4;
      }
      c++;
    }
    i = 12 * chunks;
  }
  for (; i + 2 < n; i += 3) {
    const t = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    const h = ENC2[t >>> 12];
    const l = ENC2[t & 4095];
    out[o] = h;
    out[o + 1] = h >>> 8;
    out[o + 2] = l;
    out[o + 3] = l >>> 8;
    o += 4;
  }
  const rest = n - i;
  if (rest === 1) {
    const t = bytes[i] << 16;
    out[o++] = ENC[t >>> 18];
    out[o++] = ENC[(t >>> 12) & 63];
    out[o++] = PAD;
    out[o++] = PAD;
  } else if (rest === 2) {
    const t = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out[o++] = ENC[t >>> 18];
    out[o++] = ENC[(t >>> 12) & 63];
    out[o++] = ENC[(t >>> 6) & 63];
    out[o++] = PAD;
  }
  return o;
}

/**
 * Decodes standard, canonical base64 (as {@link encodeBase64} writes it). Strict: the length must be a
 * multiple of 4, only the alphabet and final `=` padding may appear, and the unused bits before the
 * padding must be zero, so every byte string has exactly one accepted encoding.
 *
 * @param text - base64 text
 * @returns a fresh `Uint8Array` (its own buffer, offset 0, so it can be viewed as a typed array). The
 *   characters are first encoded natively into a module-level scratch buffer that is kept for the
 *   next call (as large as the longest text decoded so far: about 2.8 MB after a 2^18-slot model).
 * @throws CoreError `bad-base64` naming the first offending character position
 * @example
 * new TextDecoder().decode(decodeBase64('aGkh')) // 'hi!'
 */
export function decodeBase64(text: string): Uint8Array {
  const len = text.length;
  if (len % 4 !== 0) {
    throw new CoreError('bad-base64', `base64 text of length ${len} is not a multiple of 4; the data is truncated or corrupt`);
  }
  let pad = 0;
  if (len > 0 && text.charCodeAt(len - 1) === PAD) pad = text.charCodeAt(len - 2) === PAD ? 2 : 1;
  const out = new Uint8Array((len / 4) * 3 - pad);
  const full = pad === 0 ? len : len - 4;
  // The characters as bytes (native, fast); any non-ASCII character makes the count differ and
  // leaves the text to the character loop, which names the first bad position.
  if (full > 0) {
    const chars = scratchOf(len);
    const r = utf8.encodeInto(text, chars);
    if (r.read !== len || r.written !== len || !decodeQuads(text, chars, full, out)) decodeQuadsOfText(text, full, out);
  }
  if (pad > 0) {
    let o = out.length - (3 - pad);
    const i = len - 4;
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    if (pad === 2) {
      if ((b & 15) !== 0) throw nonCanonical(i + 1);
      out[o++] = (a << 2) | (b >>> 4);
    } else {
      const c = sextet(text, i + 2);
      if ((c & 3) !== 0) throw nonCanonical(i + 2);
      out[o++] = (a << 2) | (b >>> 4);
      out[o++] = ((b & 15) << 4) | (c >>> 2);
    }
  }
  return out;
}

const utf8 = new TextEncoder();
let scratch = new Uint8Array(0);
let scratchWords = new Int32Array(0);

/** A reused buffer of at least `n` bytes (n a multiple of 4), its word view in `scratchWords`. */
function scratchOf(n: number): Uint8Array {
  if (scratch.length < n) {
    scratch = new Uint8Array(Math.max(n, 2 * scratch.length));
    scratchWords = new Int32Array(scratch.buffer);
  }
  return scratch;
}

const AAAA = 0x41414141;
/** A block of `A`s skipped with one native compare (a multiple of 4). */
const A_BLOCK = 'A'.repeat(512);
/** Quads of `AAAA` in a row after which a run is worth the native compare. */
const SKIP_AFTER = 16;

/**
 * Decodes the `n` ASCII bytes of `chars` (whole quads, no padding; the characters of `text`) into
 * `out` (zero-filled); quads of `AAAA` (zero bytes) are skipped, long runs of them 512 characters at
 * a time with a native substring compare. False at the first character outside the
 * alphabet (the caller then finds it in the text for the message).
 */
function decodeQuads(text: string, chars: Uint8Array, n: number, out: Uint8Array): boolean {
  const words = scratchWords;
  const nq = n >>> 2;
  let run = -1; // first quad of the current run of AAAA
  for (let q = 0; q < nq; q++) {
    if (words[q] === AAAA) {
      if (run < 0) run = q;
      else if (q - run === SKIP_AFTER) {
        // a long run of zeros: skip it a block at a time with a native string compare (a substring
        // compare is several times faster than this loop, and than startsWith, in V8: measured);
        // once per run, as the first block that fails holds the run's end
        let i = (q + 1) << 2;
        while (i + A_BLOCK.length <= n && text.slice(i, i + A_BLOCK.length) === A_BLOCK) i += A_BLOCK.length;
        q = (i >>> 2) - 1;
      }
      continue;
    }
    run = -1;
    const i = q << 2;
    const h = DEC2[(chars[i] << 7) | chars[i + 1]];
    const l = DEC2[(chars[i + 2] << 7) | chars[i + 3]];
    if ((h | l) < 0) return false;
    const o = 3 * q;
    out[o] = h >>> 4;
    out[o + 1] = ((h & 15) << 4) | (l >>> 8);
    out[o + 2] = l & 255;
  }
  return true;
}

/** The character loop over the first `full` characters: throws naming the first character outside the alphabet. */
function decodeQuadsOfText(text: string, full: number, out: Uint8Array): void {
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const t = (sextet(text, i) << 18) | (sextet(text, i + 1) << 12) | (sextet(text, i + 2) << 6) | sextet(text, i + 3);
    out[o++] = t >>> 16;
    out[o++] = (t >>> 8) & 255;
    out[o++] = t & 255;
  }
}

function sextet(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const v = c < 128 ? DEC[c] : -1;
  if (v < 0) {
    throw new CoreError(
      'bad-base64',
      `base64 text has ${JSON.stringify(text[i])} at position ${i}, outside the base64 alphabet; the data is corrupt`,
    );
  }
  return v;
}

function nonCanonical(i: number): CoreError {
  return new CoreError('bad-base64', `base64 text has non-zero padding bits at position ${i}; the data is corrupt`);
}
