import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors/index.js';
import { CsvLayout } from './csv-layout.js';

describe('CsvLayout.fromHeader', () => {
  it('finds the label column and keeps the feature columns in CSV order', () => {
    const l = CsvLayout.fromHeader('a,label,b,c\r');
    expect(l.columns).toEqual(['a', 'label', 'b', 'c']);
    expect(l.labelIndex).toBe(1);
    expect(l.featureColumns).toEqual(['a', 'b', 'c']);
    expect(l.width).toBe(4);
    expect(l.dim).toBe(3);
  });

  it('reads RFC 4180 quoted names (commas, escaped quotes), a BOM, and a custom label column', () => {
    const l = CsvLayout.fromHeader('\ufeff"x, one","say ""hi""",y', { labelColumn: 'y' });
    expect(l.featureColumns).toEqual(['x, one', 'say "hi"']);
    expect(l.labelColumn).toBe('y');
    expect(l.labelIndex).toBe(2);
    expect(CsvLayout.fromHeader('"a","label"').labelIndex).toBe(1);
  });

  it('fails clearly when the label column is missing, naming it, the columns and the flag', () => {
    expect(() => CsvLayout.fromHeader('a,b,target')).toThrow(CoreError);
    expect(() => CsvLayout.fromHeader('a,b,target')).toThrow(
      "label column 'label' not found in the CSV header (columns: a, b, target); pass --label-column with one of them",
    );
  });

  it('refuses a duplicate label column, an empty name, an unterminated quote and a label-only header', () => {
    expect(() => CsvLayout.fromHeader('label,a,label')).toThrow(/twice \(columns 1 and 3\)/);
    expect(() => CsvLayout.fromHeader('a,,label')).toThrow(/column 2 has no name/);
    expect(() => CsvLayout.fromHeader('"a,label')).toThrow(/unterminated quoted field/);
    expect(() => CsvLayout.fromHeader('"a"x,label')).toThrow(/after the closing quote/);
    expect(() => CsvLayout.fromHeader('label')).toThrow(/at least one feature column/);
  });
});
