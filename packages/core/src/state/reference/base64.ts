import { CoreError } from '../../errors/index.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENC = new Uint8Array(64);
const DEC = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  const c = ALPHABET.charCodeAt(i);
  ENC[i] = c;
  DEC[c] = i;
}
const PAD = 61; // '='
const ascii = new TextDecoder('utf-8');

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
  const n = bytes.length;
  const out = new Uint8Array(4 * Math.ceil(n / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const t = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ENC[t >>> 18];
    out[o++] = ENC[(t >>> 12) & 63];
    out[o++] = ENC[(t >>> 6) & 63];
    out[o++] = ENC[t & 63];
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
  return ascii.decode(out);
}

/**
 * Decodes standard, canonical base64 (as {@link encodeBase64} writes it). Strict: the length must be a
 * multiple of 4, only the alphabet and final `=` padding may appear, and the unused bits before the
 * padding must be zero, so every byte string has exactly one accepted encoding.
 *
 * @param text - base64 text
 * @returns a fresh `Uint8Array` (its own buffer, offset 0, so it can be viewed as a typed array)
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
  let o = 0;
  const full = pad === 0 ? len : len - 4;
  for (let i = 0; i < full; i += 4) {
    const t = (sextet(text, i) << 18) | (sextet(text, i + 1) << 12) | (sextet(text, i + 2) << 6) | sextet(text, i + 3);
    out[o++] = t >>> 16;
    out[o++] = (t >>> 8) & 255;
    out[o++] = t & 255;
  }
  if (pad > 0) {
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
