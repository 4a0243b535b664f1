import { CoreError } from '../errors/index.js';

/** Settings of {@link CsvLayout.fromHeader}. */
export interface CsvLayoutOptions {
  /** Name of the label column (default 'label'). */
  readonly labelColumn?: string;
}

/**
 * Splits one CSV line into its cells per RFC 4180: comma-separated, a field may be quoted with `"`
 * (then it may hold commas and `""` stands for one quote). A trailing CR is dropped; unquoted cells are
 * trimmed. Line-based: a quoted field cannot span lines.
 */
function splitHeader(line: string): string[] {
  let end = line.length;
  if (end > 0 && line.charCodeAt(end - 1) === 13) end--;
  let pos = line.charCodeAt(0) === 0xfeff ? 1 : 0; // a UTF-8 byte-order mark
  const cells: string[] = [];
  for (;;) {
    if (pos < end && line.charCodeAt(pos) === 34) {
      let value = '';
      let i = pos + 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0 || q >= end) {
          throw new CoreError('bad-csv', `CSV header has an unterminated quoted field at character ${pos + 1}: close it with "`);
        }
        value += line.slice(i, q);
        if (q + 1 < end && line.charCodeAt(q + 1) === 34) {
          value += '"';
          i = q + 2;
        } else {
          pos = q + 1;
          break;
        }
      }
      cells.push(value);
      if (pos < end && line.charCodeAt(pos) !== 44) {
        throw new CoreError('bad-csv', `CSV header: text after the closing quote of field ${cells.length}; quote the whole field`);
      }
    } else {
      let stop = line.indexOf(',', pos);
      if (stop < 0 || stop > end) stop = end;
      cells.push(line.slice(pos, stop).trim());
      pos = stop;
    }
    if (pos >= end) return cells;
    pos++; // the comma
  }
}

/**
 * The column layout of a numeric CSV file with a header: which column is the label and which are
 * the features (in CSV order, mapped densely to indices 0..d−1).
 *
 * @example
 * const layout = CsvLayout.fromHeader('age,"income, net",label');
 * layout.featureColumns // ['age', 'income, net']
 * layout.labelIndex     // 2
 * layout.dim            // 2
 */
export class CsvLayout {
  /** Number of cells per row. */
  readonly width: number;
  /** Number of features d = width − 1. */
  readonly dim: number;

  private constructor(
    /** All column names, in CSV order. */
    readonly columns: readonly string[],
    /** The label column's name. */
    readonly labelColumn: string,
    /** The label column's 0-based position. */
    readonly labelIndex: number,
    /** The feature columns' names, in CSV order (feature j is model index j). */
    readonly featureColumns: readonly string[],
  ) {
    this.width = columns.length;
    this.dim = featureColumns.length;
  }

  /**
   * Reads the header line.
   *
   * @param headerLine - the first line of the file (a trailing CR and a leading BOM are ignored)
   * @param o - `labelColumn` (default 'label')
   * @throws CoreError 'bad-csv' when the label column is missing or appears twice, a column name is
   * empty, a quote is unterminated, or there is no feature column
   */
  static fromHeader(headerLine: string, o: CsvLayoutOptions = {}): CsvLayout {
    const labelColumn = o.labelColumn ?? 'label';
    const columns = splitHeader(headerLine);
    let labelIndex = -1;
    for (let i = 0; i < columns.length; i++) {
      if (columns[i] === '') {
        throw new CoreError('bad-csv', `CSV header column ${i + 1} has no name; name every column (header: ${headerLine.slice(0, 200)})`);
      }
      if (columns[i] === labelColumn) {
        if (labelIndex >= 0) {
          throw new CoreError('bad-csv', `CSV header has the label column '${labelColumn}' twice (columns ${labelIndex + 1} and ${i + 1}); rename one`);
        }
        labelIndex = i;
      }
    }
    if (labelIndex < 0) {
      const shown = columns.slice(0, 20).join(', ') + (columns.length > 20 ? ', …' : '');
      throw new CoreError(
        'bad-csv',
        `label column '${labelColumn}' not found in the CSV header (columns: ${shown}); pass --label-column with one of them`,
      );
    }
    if (columns.length < 2) {
      throw new CoreError('bad-csv', `CSV header has only the label column '${labelColumn}'; a model needs at least one feature column`);
    }
    const features = columns.filter((_, i) => i !== labelIndex);
    return new CsvLayout(columns, labelColumn, labelIndex, features);
  }
}
