/**
 * Whether the UTF-8 bytes `b[s..s+len)` are one of the keys the decoders refuse anywhere in an event
 * (`__proto__`, `constructor`, `prototype`; see EventDecoder's `forbidden-key`), compared on the bytes,
 * for the byte-level decoders that read names without making strings.
 *
 * @example
 * isForbiddenKeyBytes(new TextEncoder().encode('"__proto__"'), 1, 9) // true
 */
export function isForbiddenKeyBytes(b: Uint8Array, s: number, len: number): boolean {
  if (len === 11) return equalsAscii(b, s, 'constructor');
  return len === 9 && (equalsAscii(b, s, '__proto__') || equalsAscii(b, s, 'prototype'));
}

function equalsAscii(b: Uint8Array, s: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (b[s + k] !== word.charCodeAt(k)) return false;
  return true;
}
