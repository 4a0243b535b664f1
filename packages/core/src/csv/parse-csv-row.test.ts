import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors/index.js';
import { DecodedEvent } from '../events/types.js';
import { CsvLayout } from './csv-layout.js';
import { parseCsvRow } from './parse-csv-row.js';

const layout = CsvLayout.fromHeader('a,b,label,c');

function features(ev: DecodedEvent): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0; k < ev.x.nnz; k++) out.push([ev.x.idx[k], ev.x.val[k]]);
  return out;
}

describe('parseCsvRow', () => {
  it('fills x densely (zeros included) in CSV order, the label and the id row-N', () => {
    const ev = new DecodedEvent(8);
    ev.trusted = true;
    ev.ts = 5;
    expect(parseCsvRow('0.5,0,1,-2.25e3\r', layout, ev, 7)).toBeNull();
    expect(ev.id).toBe('row-7');
    expect(ev.label).toBe(1);
    expect(ev.ts).toBeNull();
    expect(ev.trusted).toBe(false);
    expect(ev.sourceLabel).toBeNull();
    expect(features(ev)).toEqual([
      [0, 0.5],
      [1, 0],
      [2, -2250],
    ]);
  });

  it('parses numbers exactly like Number() (shortest round-trip doubles stay bit-exact)', () => {
    const ev = new DecodedEvent(3);
    const vals = [0.1, 1 / 3, -5e-324, 1.7976931348623157e308];
    for (const v of vals) {
      expect(parseCsvRow(`${v},${-v},0.25,7`, layout, ev, 1)).toBeNull();
      expect(ev.x.val[0]).toBe(v);
      expect(ev.x.val[1]).toBe(-v);
      expect(ev.label).toBe(0.25);
    }
  });

  it('reads plain decimal cells in place bit-identically to Number() (Object.is, incl. −0, 15/16 digits, "1.", ".5", "+3")', () => {
    const one = CsvLayout.fromHeader('a,label');
    const ev = new DecodedEvent(1);
    const cells = ['-0', '-0.000', '+0', '0', '1.', '.5', '-.5', '+3', '007.250', '123456789012345', '1234567890123456',
      '0.1234567890123456', '9007199254740993', '-999999999999999.9', '0.000000000000001', '3.14159265358979', '1e5', ' 2', '0x10'];
    let s = 12345;
    const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
    for (let i = 0; i < 5_000; i++) {
      const digits = 1 + Math.floor(rnd() * 17);
      let t = '';
      for (let k = 0; k < digits; k++) t += String(Math.floor(rnd() * 10));
      const point = Math.floor(rnd() * (digits + 2)) - 1; // −1: no point
      if (point >= 0 && point <= digits) t = `${t.slice(0, point)}.${t.slice(point)}`;
      cells.push((rnd() < 0.5 ? '-' : '') + t);
    }
    for (const c of cells) {
      expect(parseCsvRow(`${c},1`, one, ev, 1)).toBeNull();
      expect(Object.is(ev.x.val[0], Number(c)), c).toBe(true);
    }
  });

  it('accepts quoted numeric cells, blanks around numbers, and an empty label as "no label"', () => {
    const ev = new DecodedEvent(3);
    expect(parseCsvRow('"1.5", 2 ,,3', layout, ev, 2)).toBeNull();
    expect(ev.label).toBeNull();
    expect(features(ev)).toEqual([
      [0, 1.5],
      [1, 2],
      [2, 3],
    ]);
  });

  it('rejects a wrong cell count (too few, too many), naming row and counts', () => {
    const ev = new DecodedEvent(3);
    expect(parseCsvRow('1,2,1', layout, ev, 3)).toEqual({
      code: 'dimension-mismatch',
      reason: 'row 3 has 3 cells but the header has 4; every row needs one cell per column',
    });
    expect(parseCsvRow('1,2,1,4,5', layout, ev, 4)?.reason).toMatch(/row 4 has 5 cells but the header has 4/);
    expect(parseCsvRow('', layout, ev, 5)?.reason).toMatch(/row 5 has 1 cells/);
    // A count problem is reported before a bad cell of the same row.
    expect(parseCsvRow('x,2', layout, ev, 6)?.code).toBe('dimension-mismatch');
  });

  it('rejects non-numeric and empty feature cells, naming row and column', () => {
    const ev = new DecodedEvent(3);
    expect(parseCsvRow('1,abc,0,2', layout, ev, 8)).toEqual({
      code: 'bad-features',
      reason: `row 8, column 'b' (2): "abc" is not a number`,
    });
    expect(parseCsvRow('1,2,0,', layout, ev, 9)).toEqual({ code: 'bad-features', reason: `row 9, column 'c' (4): "" is not a number` });
    expect(parseCsvRow('  ,2,0,1', layout, ev, 10)?.reason).toMatch(/column 'a' \(1\)/);
    expect(parseCsvRow('1,2,0,"3', layout, ev, 11)?.reason).toMatch(/row 11, column 4: unterminated quoted cell/);
    expect(parseCsvRow('1,"2"x,0,3', layout, ev, 12)?.reason).toMatch(/text after the closing quote/);
  });

  it('rejects non-finite features and labels', () => {
    const ev = new DecodedEvent(3);
    expect(parseCsvRow('Infinity,2,0,1', layout, ev, 13)).toEqual({
      code: 'non-finite',
      reason: `row 13, column 'a' (1): Infinity is not finite; features must be finite numbers`,
    });
    expect(parseCsvRow('1,2,NaN,1', layout, ev, 14)?.code).toBe('bad-label');
    expect(parseCsvRow('1,2,-Infinity,1', layout, ev, 15)).toEqual({
      code: 'non-finite',
      reason: `row 15, column 'label': label -Infinity is not finite`,
    });
  });

  it('rejects labels outside [0,1] and non-numeric labels, naming row and column', () => {
    const ev = new DecodedEvent(3);
    expect(parseCsvRow('1,2,1.7,3', layout, ev, 16)).toEqual({
      code: 'label-range',
      reason: `row 16: label 1.7 is outside [0,1] (column 'label'); labels are 0, 1 or a probability`,
    });
    expect(parseCsvRow('1,2,-0.5,3', layout, ev, 17)?.code).toBe('label-range');
    expect(parseCsvRow('1,2,yes,3', layout, ev, 18)).toEqual({
      code: 'bad-label',
      reason: `row 18, column 'label': "yes" is not a number; labels are 0, 1 or a probability`,
    });
  });

  it('throws (a programming error, not a row rejection) when the event buffer is too small', () => {
    expect(() => parseCsvRow('1,2,0,3', layout, new DecodedEvent(2), 1)).toThrow(CoreError);
    expect(() => parseCsvRow('1,2,0,3', layout, new DecodedEvent(2), 1)).toThrow(/DecodedEvent\(3\)/);
  });
});
