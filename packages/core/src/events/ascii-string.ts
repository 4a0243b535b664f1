const fromCharCode = String.fromCharCode;

/**
 * The ASCII bytes `b[at..end)` as a string, eight characters per `String.fromCharCode` call: no view
 * and no `TextDecoder` for the common all-ASCII id. The caller has checked that every byte is < 0x80.
 *
 * @example
 * asciiString(new TextEncoder().encode('xe-17y'), 1, 5) // 'e-17'
 */
export function asciiString(b: Uint8Array, at: number, end: number): string {
  let s = '';
  let i = at;
  for (; i + 8 <= end; i += 8) s += fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7]);
  switch (end - i) {
    case 1:
      return s + fromCharCode(b[i]);
    case 2:
      return s + fromCharCode(b[i], b[i + 1]);
    case 3:
      return s + fromCharCode(b[i], b[i + 1], b[i + 2]);
    case 4:
      return s + fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3]);
    case 5:
      return s + fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4]);
    case 6:
      return s + fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5]);
    case 7:
      return s + fromCharCode(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6]);
    default:
      return s;
  }
}
