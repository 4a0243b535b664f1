import { CoreError } from '../errors/index.js';
import type { DecodedEvent, RejectCode, Rejection } from '../events/types.js';
import type { CsvLayout } from './csv-layout.js';

function reject(code: RejectCode, reason: string): Rejection {
  return { code, reason };
}

function show(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** True when `line[start, stop)` holds a decimal digit (tells "0" from "" or "  ", which Number() also reads as 0). */
function hasDigit(line: string, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** 10^k for k = 0..22: exactly representable doubles. */
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * The value of `text[start, stop)` when it is a plain decimal `[+-]digits[.digits]` with at most 15 digits and at
 * least one, else NaN (the caller then reads the cell with `Number`). Bit-identical to `Number(cell)` on the cells
 * it accepts: the digits form an integer m < 10^15 < 2^53 and the fraction has k ≤ 15 digits, both m and 10^k are
 * exact doubles, so the one IEEE division m / 10^k is the correctly rounded value of the decimal, which is what
 * `Number` returns (Clinger's fast path; W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990).
 * No allocation.
 */
function parsePlainDecimal(text: string, start: number, stop: number): number {
  let i = start;
  let neg = false;
  if (i < stop) {
    const c = text.charCodeAt(i);
    if (c === 45) {
      neg = true;
      i++;
    } else if (c === 43) i++;
  }
  let m = 0;
  let digits = 0;
  let frac = -1; // digits after the point, −1 while no point was seen
  for (; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) {
      frac = 0;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0 || digits > 15) return Number.NaN;
  const v = frac > 0 ? m / POW10[frac] : m;
  return neg ? -v : v;
}

/**
 * Parses one data row of a numeric CSV into a reusable {@link DecodedEvent}: features densely into
 * `ev.x` (indices 0..d−1 in CSV order, zeros included), the label, and the id `row-N`. Scans the line
 * once; a plain decimal cell is read in place (the same double as `Number` gives), any other cell with `Number` on
 * its substring. Quoted cells (RFC 4180) are accepted. An
 * empty label cell means "no label" (`label = null`, scored but not learned from).
 *
 * @param line - the row, without its newline (a trailing CR is ignored)
 * @param layout - from {@link CsvLayout.fromHeader}
 * @param ev - overwritten; its `x` needs capacity ≥ `layout.dim`
 * @param rowNumber - the row's number, used in the id `row-N` and in rejection reasons
 * @returns null when accepted, else a Rejection ('dimension-mismatch' for a wrong cell count,
 * 'bad-features' / 'bad-label' for a non-numeric cell, 'non-finite', 'label-range') naming row and column
 * @example
 * const layout = CsvLayout.fromHeader('a,b,label');
 * const ev = new DecodedEvent(2);
 * parseCsvRow('0.5,2,1', layout, ev, 1); // null; ev.id 'row-1', ev.x = [(0, 0.5), (1, 2)], ev.label 1
 */
export function parseCsvRow(line: string, layout: CsvLayout, ev: DecodedEvent, rowNumber: number): Rejection | null {
  const x = ev.x;
  if (x.capacity < layout.dim) {
    throw new CoreError(
      'bad-csv',
      `the event buffer holds ${x.capacity} features but the CSV has ${layout.dim}; allocate DecodedEvent(${layout.dim}) or more`,
    );
  }
  let end = line.length;
  if (end > 0 && line.charCodeAt(end - 1) === 13) end--;
  const width = layout.width;
  const labelIndex = layout.labelIndex;
  x.clear();
  let label: number | null = null;
  let firstProblem: Rejection | null = null;
  let col = 0;
  let pos = 0;
  for (;;) {
    let start = pos;
    let stop: number;
    let fast: number; // the cell read as a plain decimal, NaN when it is not one
    if (pos < end && line.charCodeAt(pos) === 34) {
      // Quoted cell: up to the closing quote ("" is an escaped quote, which no number contains).
      let q = line.indexOf('"', pos + 1);
      while (q >= 0 && q + 1 < end && line.charCodeAt(q + 1) === 34) q = line.indexOf('"', q + 2);
      if (q < 0 || q >= end) {
        return reject('bad-features', `row ${rowNumber}, column ${col + 1}: unterminated quoted cell; close it with "`);
      }
      start = pos + 1;
      stop = q;
      pos = q + 1;
      if (pos < end && line.charCodeAt(pos) !== 44) {
        return reject('bad-features', `row ${rowNumber}, column ${col + 1}: text after the closing quote; quote the whole cell`);
      }
      fast = parsePlainDecimal(line, start, stop);
    } else {
      // Unquoted cell: find its end and read it as a plain decimal in the same scan (see parsePlainDecimal).
      let i = pos;
      let neg = false;
      let m = 0;
      let digits = 0;
      let frac = -1;
      let plain = true;
      if (i < end) {
        const c = line.charCodeAt(i);
        if (c === 45) {
          neg = true;
          i++;
        } else if (c === 43) i++;
      }
      for (; i < end; i++) {
        const c = line.charCodeAt(i);
        if (c >= 48 && c <= 57) {
          m = m * 10 + (c - 48);
          digits++;
          if (frac >= 0) frac++;
        } else if (c === 46 && frac < 0) {
          frac = 0;
        } else {
          if (c !== 44) plain = false;
          break;
        }
      }
      if (plain) {
        stop = i;
        if (digits === 0 || digits > 15) fast = Number.NaN;
        else {
          const a = frac > 0 ? m / POW10[frac] : m;
          fast = neg ? -a : a;
        }
      } else {
        stop = line.indexOf(',', i);
        if (stop < 0 || stop > end) stop = end;
        fast = Number.NaN;
      }
      pos = stop;
    }
    if (col < width && firstProblem === null) {
      let v = fast;
      if (v !== v) {
        v = Number(line.slice(start, stop));
        if (v === 0 && !hasDigit(line, start, stop)) v = Number.NaN; // "" and blanks are not 0
      }
      if (col === labelIndex) {
        if (v === v && Number.isFinite(v)) {
          if (v >= 0 && v <= 1) label = v;
          else firstProblem = reject('label-range', `row ${rowNumber}: label ${line.slice(start, stop).trim()} is outside [0,1] (column '${layout.labelColumn}'); labels are 0, 1 or a probability`);
        } else if (v !== v && line.slice(start, stop).trim() === '') {
          label = null;
        } else if (v !== v) {
          firstProblem = reject('bad-label', `row ${rowNumber}, column '${layout.labelColumn}': ${show(line.slice(start, stop))} is not a number; labels are 0, 1 or a probability`);
        } else {
          firstProblem = reject('non-finite', `row ${rowNumber}, column '${layout.labelColumn}': label ${line.slice(start, stop).trim()} is not finite`);
        }
      } else {
        const j = col < labelIndex ? col : col - 1;
        if (Number.isFinite(v)) {
          x.push(j, v);
        } else if (v !== v) {
          firstProblem = reject('bad-features', `row ${rowNumber}, column '${layout.featureColumns[j]}' (${col + 1}): ${show(line.slice(start, stop))} is not a number`);
        } else {
          firstProblem = reject('non-finite', `row ${rowNumber}, column '${layout.featureColumns[j]}' (${col + 1}): ${line.slice(start, stop).trim()} is not finite; features must be finite numbers`);
        }
      }
    }
    col++;
    if (pos >= end) break;
    pos++; // the comma
  }
  if (col !== width) {
    return reject('dimension-mismatch', `row ${rowNumber} has ${col} cells but the header has ${width}; every row needs one cell per column`);
  }
  if (firstProblem !== null) return firstProblem;
  ev.id = `row-${rowNumber}`;
  ev.ts = null;
  ev.label = label;
  ev.trusted = false;
  ev.sourceLabel = null;
  return null;
}
