import { describe, expect, it } from 'vitest';
import { fmt, fmtMeanSd, markdownTable } from './markdown-table.js';

describe('markdownTable', () => {
  it('renders the header, the alignment row and escaped cells', () => {
    expect(markdownTable(['a', 'b'], [['x|y', '1']])).toBe('| a | b |\n| :-- | --: |\n| x\\|y | 1 |\n');
  });

  it('refuses a row with the wrong number of cells', () => {
    expect(() => markdownTable(['a', 'b'], [['x']])).toThrow(/row 0 has 1 cells, the header has 2/);
  });
});

describe('fmt / fmtMeanSd', () => {
  it('formats fixed decimals, n/a for non-finite, and mean ± sd', () => {
    expect(fmt(0.12345, 3)).toBe('0.123');
    expect(fmt(NaN, 3)).toBe('n/a');
    expect(fmtMeanSd({ mean: 0.9512, sd: 0.0123, n: 5 }, 3)).toBe('0.951 ± 0.012');
    expect(fmtMeanSd({ mean: 0.9512, sd: 0, n: 1 }, 3)).toBe('0.951');
  });
});
