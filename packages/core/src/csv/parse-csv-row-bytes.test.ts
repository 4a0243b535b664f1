import { describe, expect, it } from 'vitest';
import { DecodedEvent } from '../events/types.js';
import { CsvLayout } from './csv-layout.js';
import { parseCsvRow } from './parse-csv-row.js';
import { parseCsvRowBytes } from './parse-csv-row-bytes.js';

const enc = new TextEncoder();

function snapshot(ev: DecodedEvent): unknown {
  const xs: number[][] = [];
  for (let k = 0; k < ev.x.nnz; k++) xs.push([ev.x.idx[k], ev.x.val[k]]);
  return { id: ev.id, ts: ev.ts, label: ev.label, trusted: ev.trusted, sourceLabel: ev.sourceLabel, xs, nnz: ev.x.nnz };
}

/** Both parsers on the same row (the bytes embedded at an offset in a larger buffer): same result, same event. */
function both(line: string, layout: CsvLayout, rowNumber = 3): { rejection: unknown } {
  const a = new DecodedEvent(8);
  const b = new DecodedEvent(8);
  b.trusted = true;
  const ra = parseCsvRow(line, layout, a, rowNumber);
  const body = enc.encode(line);
  const buf = new Uint8Array(body.length + 7);
  buf.set(enc.encode('9,9,9\n'), 0);
  buf.set(body, 6);
  buf[buf.length - 1] = 10;
  const rb = parseCsvRowBytes(buf, 6, 6 + body.length, layout, b, rowNumber);
  expect(rb, line).toEqual(ra);
  if (ra === null) {
    expect(snapshot(b), line).toEqual(snapshot(a));
    for (let k = 0; k < a.x.nnz; k++) expect(Object.is(b.x.val[k], a.x.val[k]), line).toBe(true);
  }
  return { rejection: ra };
}

describe('parseCsvRowBytes', () => {
  const layout = CsvLayout.fromHeader('a,b,label,c');

  it('equals parseCsvRow on plain rows (bit-exact values, id, label, −0, CRLF)', () => {
    for (const line of ['0.5,0,1,-2.25', '-0,+3,0.25,.5', '1.,007.250,0,123456789012345', '1,2,1,3\r', '0.1234,-0.9876,1,0.0001']) {
      expect(both(line, layout).rejection).toBeNull();
    }
  });

  it('equals parseCsvRow on every row it hands over: quotes, blanks, exponents, long digits, bad cells, counts, labels', () => {
    const rows = ['"1.5", 2 ,,3', '1e3,2,0,1', '1234567890123456,1,0,2', '1,2,1.7,3', '1,2,-0.5,3', '1,2,yes,3', '1,abc,0,2',
      '1,2,0,', '  ,2,0,1', '1,2,0,"3', '1,"2"x,0,3', 'Infinity,2,0,1', '1,2,NaN,1', '1,2,1', '1,2,1,4,5', '', ',,,',
      '1,2,0,3,', 'é,2,0,1', '1,2,0,0x10', '1,2,,3'];
    const outcomes = rows.map((r) => both(r, layout).rejection);
    // Accepted by both: '"1.5", 2 ,,3', '1e3,2,0,1', '1234567890123456,1,0,2', '1,2,0,0x10' (Number reads hex), '1,2,,3'.
    expect(outcomes.filter((o) => o === null).length).toBe(5);
  });

  it('equals parseCsvRow on 3 000 random rows of plain and odd cells (label in any column)', () => {
    let s = 99;
    const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
    const odd = ['', ' 1', '1e2', '"2"', 'x', '1.2.3', '-', '+', '.', '12345678901234567', '2'];
    const lay = [CsvLayout.fromHeader('label,a,b'), CsvLayout.fromHeader('a,label,b'), CsvLayout.fromHeader('a,b,label')];
    for (let n = 0; n < 3000; n++) {
      const cells: string[] = [];
      const width = rnd() < 0.05 ? 2 : 3;
      for (let c = 0; c < width; c++) {
        if (rnd() < 0.1) cells.push(odd[Math.floor(rnd() * odd.length)]);
        else cells.push(((rnd() < 0.3 ? -1 : 1) * rnd() * (rnd() < 0.5 ? 1 : 1000)).toFixed(Math.floor(rnd() * 8)));
      }
      both(cells.join(','), lay[n % 3], n);
    }
  });
});
