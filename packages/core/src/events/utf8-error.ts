/**
 * Finds the first byte that makes `bytes` invalid UTF-8 (RFC 3629: no overlong forms, no surrogates
 * U+D800–DFFF, nothing above U+10FFFF, no truncated sequence). Used on the rejection path only, to say
 * where a message stopped being UTF-8; the accepted path validates with a fatal `TextDecoder`.
 *
 * @param bytes - the message
 * @param start - first byte to check (default 0)
 * @param end - end of the range, exclusive (default `bytes.length`); a sequence cut by `end` is invalid
 * @returns the byte offset (in `bytes`) of the first invalid or truncated sequence, or −1 when all of
 *   the range is valid
 * @example
 * firstInvalidUtf8(new Uint8Array([0x61, 0xc3, 0x28])) // 1 (0xC3 must be followed by a continuation byte)
 * firstInvalidUtf8(new Uint8Array([0x61, 0xc3, 0xa9]), 0, 2) // 1 (é cut by the end of the range)
 */
export function firstInvalidUtf8(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const n = end;
  let i = start;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // no overlong 3-byte forms
      if (b === 0xed) hi = 0x9f; // no UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // no overlong 4-byte forms
      if (b === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    if (i + need >= n) return i; // truncated at the end
    const c1 = bytes[i + 1];
    if (c1 < lo || c1 > hi) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k];
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}
