/** {@link countRawFeatures} could not tell (no plain top-level `"features"` container found). */
export const RAW_COUNT_UNKNOWN = -1;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** `features` as bytes. */
const NAME = [0x66, 0x65, 0x61, 0x74, 0x75, 0x72, 0x65, 0x73];

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Counts the entries of an event's `features` (members of an object, elements of an array) on the
 * raw message bytes, without decoding or parsing it: a fast reject of oversized feature sets before
 * `JSON.parse` builds them. Scans the top-level object for the first key spelt exactly `"features"`
 * (no escapes) and counts the entries of its object or array value as written, stopping as soon as
 * the count exceeds `limit`. Strings (with escapes) are skipped correctly, nested containers are not
 * counted, an entry is counted when its first character is seen (so a trailing comma adds nothing).
 *
 * Exactness: a result above `limit` means the text of the first `"features"` value holds more than
 * `limit` entries. The scan stops there, so the rest of the message is not validated, and duplicate
 * names count as written (JSON.parse would merge them). Anything the scanner cannot see plainly
 * (top level not an object, no plain `"features"` key, `features` not a container, the text ending
 * first) gives {@link RAW_COUNT_UNKNOWN}: the caller parses as usual. One pass, no allocation.
 *
 * @param b - the message bytes (UTF-8 JSON; invalid UTF-8 is fine: only ASCII bytes are looked at)
 * @param limit - stop counting once the count exceeds this (the caller's maxFeatures)
 * @returns the number of entries (at most `limit + 1`), or RAW_COUNT_UNKNOWN
 * @example
 * countRawFeatures(new TextEncoder().encode('{"id":"a","features":{"x":1,"y":[1,2]}}'), 1000) // 2
 * countRawFeatures(new TextEncoder().encode('{"features":[1,2,3,4]}'), 2) // 3 (stopped: over 2)
 */
export function countRawFeatures(b: Uint8Array, limit: number): number {
  const n = b.length;
  let i = 0;
  while (i < n && isWs(b[i])) i++;
  if (i >= n || b[i] !== LBRACE) return RAW_COUNT_UNKNOWN;
  i++;
  let depth = 1;
  // At depth 1: whether the next string is a key, and whether the last key was "features".
  let expectKey = true;
  let keyIsFeatures = false;
  while (i < n) {
    const c = b[i];
    if (c === QUOTE) {
      const start = i + 1;
      i = skipString(b, start);
      if (i < 0) return RAW_COUNT_UNKNOWN;
      if (depth === 1 && expectKey) {
        keyIsFeatures = isFeaturesName(b, start, i - 1);
        expectKey = false;
      }
      continue;
    }
    if (c === LBRACE || c === LBRACKET) {
      if (depth === 1 && keyIsFeatures) return countEntries(b, i, limit);
      depth++;
    } else if (c === RBRACE || c === RBRACKET) {
      depth--;
      if (depth === 0) return RAW_COUNT_UNKNOWN;
    } else if (depth === 1) {
      if (c === COMMA) {
        expectKey = true;
        keyIsFeatures = false;
      } else if (c !== COLON && !isWs(c) && keyIsFeatures) {
        return RAW_COUNT_UNKNOWN; // "features" is a scalar: the decoder says what is wrong with it
      }
    }
    i++;
  }
  return RAW_COUNT_UNKNOWN;
}

/** Index just past the closing quote of the string whose content starts at `i`, or −1 at the end of the text. */
function skipString(b: Uint8Array, i: number): number {
  const n = b.length;
  while (i < n) {
    const c = b[i];
    if (c === QUOTE) return i + 1;
    i += c === BACKSLASH ? 2 : 1;
  }
  return -1;
}

/** Whether b[start, end) (a string's content) is exactly `features`. */
function isFeaturesName(b: Uint8Array, start: number, end: number): boolean {
  if (end - start !== NAME.length) return false;
  for (let k = 0; k < NAME.length; k++) if (b[start + k] !== NAME[k]) return false;
  return true;
}

/** Entries of the container opening at `open`, up to `limit + 1`; RAW_COUNT_UNKNOWN when it does not close. */
function countEntries(b: Uint8Array, open: number, limit: number): number {
  const n = b.length;
  let depth = 1;
  let count = 0;
  let awaiting = true; // after the opening bracket or a comma at depth 1: the next non-space starts an entry
  let i = open + 1;
  while (i < n) {
    const c = b[i];
    if (depth === 1 && awaiting && !isWs(c) && c !== COMMA && c !== RBRACE && c !== RBRACKET) {
      awaiting = false;
      if (++count > limit) return count;
    }
    if (c === QUOTE) {
      i = skipString(b, i + 1);
      if (i < 0) return RAW_COUNT_UNKNOWN;
      continue;
    }
    if (c === LBRACE || c === LBRACKET) depth++;
    else if (c === RBRACE || c === RBRACKET) {
      if (--depth === 0) return count;
    } else if (c === COMMA && depth === 1) awaiting = true;
    i++;
  }
  return RAW_COUNT_UNKNOWN;
}
