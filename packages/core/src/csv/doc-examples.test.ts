import { describe, expect, it } from 'vitest';
import { CsvLayout, DecodedEvent, parseCsvRow } from '../index.js';

// The @example blocks of csv/, run as written.
describe('csv/ doc examples', () => {
  it('CsvLayout.fromHeader', () => {
    const layout = CsvLayout.fromHeader('age,"income, net",label');
    expect(layout.featureColumns).toEqual(['age', 'income, net']);
    expect(layout.labelIndex).toBe(2);
    expect(layout.dim).toBe(2);
  });

  it('parseCsvRow', () => {
    const layout = CsvLayout.fromHeader('a,b,label');
    const ev = new DecodedEvent(2);
    expect(parseCsvRow('0.5,2,1', layout, ev, 1)).toBeNull();
    expect(ev.id).toBe('row-1');
    expect([ev.x.nnz, ev.x.idx[0], ev.x.val[0], ev.x.idx[1], ev.x.val[1]]).toEqual([2, 0, 0.5, 1, 2]);
    expect(ev.label).toBe(1);
  });
});
