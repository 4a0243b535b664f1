import { CoreError } from '../errors/index.js';
import type { DecodedEvent, Rejection } from '../events/types.js';
import type { CsvLayout } from './csv-layout.js';
import { parseCsvRow } from './parse-csv-row.js';

/** 10^k for k = 0..15: exactly representable doubles. */
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const utf8 = new TextDecoder('utf-8');

/**
 * {@link parseCsvRow} on a row given as UTF-8 bytes `bytes[start, end)` (without its newline; a trailing CR is
 * ignored), without decoding it to a string: what `logit replay` uses to read a file chunk in place. A row whose
 * cells are all unquoted plain decimals `[+-]digits[.digits]` of at most 15 digits, with the right cell count and a
 * label in [0, 1], is read directly (the doubles are those `Number` gives: Clinger's fast path, see parseCsvRow);
 * any other row — quoted or blank cells, exponents, an empty or out-of-range label, a wrong cell count, non-numbers —
 * is decoded and handed to {@link parseCsvRow}, so results and rejection reasons are identical by construction.
 *
 * @param bytes - a buffer holding the row
 * @param start - index of the row's first byte
 * @param end - index after its last byte (before the newline)
 * @param layout - from {@link CsvLayout.fromHeader}
 * @param ev - overwritten; its `x` needs capacity ≥ `layout.dim`
 * @param rowNumber - the row's number (id `row-N`, rejection reasons)
 * @returns null when accepted, else the Rejection of {@link parseCsvRow}
 * @example
 * const layout = CsvLayout.fromHeader('a,b,label');
 * const ev = new DecodedEvent(2);
 * parseCsvRowBytes(new TextEncoder().encode('0.5,2,1'), 0, 7, layout, ev, 1); // null; ev.x = [(0, 0.5), (1, 2)], ev.label 1
 */
export function parseCsvRowBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  layout: CsvLayout,
  ev: DecodedEvent,
  rowNumber: number,
): Rejection | null {
  const x = ev.x;
  if (x.capacity < layout.dim) {
    throw new CoreError(
      'bad-csv',
      `the event buffer holds ${x.capacity} features but the CSV has ${layout.dim}; allocate DecodedEvent(${layout.dim}) or more`,
    );
  }
  let stopAt = end;
  if (stopAt > start && bytes[stopAt - 1] === 13) stopAt--;
  const width = layout.width;
  const labelIndex = layout.labelIndex;
  x.clear();
  let label = -1;
  let col = 0;
  let i = start;
  for (;;) {
    // One unquoted plain decimal cell, up to the comma or the end of the row.
    let neg = false;
    let m = 0;
    let digits = 0;
    let frac = -1;
    if (i < stopAt) {
      const c = bytes[i];
      if (c === 45) {
        neg = true;
        i++;
      } else if (c === 43) i++;
    }
    let c = 44;
    for (; i < stopAt; i++) {
      c = bytes[i];
      if (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        digits++;
        if (frac >= 0) frac++;
      } else if (c === 46 && frac < 0) {
        frac = 0;
      } else break;
    }
    if ((i < stopAt && c !== 44) || digits === 0 || digits > 15 || col >= width) return slow(bytes, start, end, layout, ev, rowNumber);
    const a = frac > 0 ? m / POW10[frac] : m;
    const v = neg ? -a : a;
    if (col === labelIndex) {
      if (!(v >= 0 && v <= 1)) return slow(bytes, start, end, layout, ev, rowNumber);
      label = v;
    } else {
      x.push(col < labelIndex ? col : col - 1, v);
    }
    col++;
    if (i >= stopAt) break;
    i++; // the comma
  }
  if (col !== width) return slow(bytes, start, end, layout, ev, rowNumber);
  ev.id = `row-${rowNumber}`;
  ev.ts = null;
  ev.label = label;
  ev.trusted = false;
  ev.sourceLabel = null;
  return null;
}

/** Anything but plain decimal cells: decode the row and let the string parser decide (identical outcome). */
function slow(bytes: Uint8Array, start: number, end: number, layout: CsvLayout, ev: DecodedEvent, rowNumber: number): Rejection | null {
  return parseCsvRow(utf8.decode(bytes.subarray(start, end)), layout, ev, rowNumber);
}
