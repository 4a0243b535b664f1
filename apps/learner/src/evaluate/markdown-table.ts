/** Column alignment in a markdown table. */
export type Align = 'left' | 'right';

/**
 * Renders a GitHub-flavoured markdown table. Cells are escaped (`|` becomes `\|`, newlines become
 * spaces); every row must have as many cells as the header.
 *
 * @param header - column titles
 * @param rows - the cells, already formatted
 * @param align - per-column alignment (default: first column left, the others right)
 * @example
 * markdownTable(['a', 'b'], [['x', '1']]) // '| a | b |\n| :-- | --: |\n| x | 1 |\n'
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly Align[]): string {
  const cols = header.length;
  const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const al = header.map((_, i) => align?.[i] ?? (i === 0 ? 'left' : 'right'));
  const lines = [`| ${header.map(esc).join(' | ')} |`, `| ${al.map((a) => (a === 'left' ? ':--' : '--:')).join(' | ')} |`];
  rows.forEach((r, k) => {
    if (r.length !== cols) {
      throw new RangeError(`markdownTable: row ${k} has ${r.length} cells, the header has ${cols}`);
    }
    lines.push(`| ${r.map(esc).join(' | ')} |`);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * Formats a number with fixed decimals; non-finite values print as `n/a`.
 *
 * @example
 * fmt(0.12345, 3) // '0.123'
 */
export function fmt(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : 'n/a';
}

/**
 * Formats `mean ± sd` (the sd omitted when there was a single value).
 *
 * @example
 * fmtMeanSd({ mean: 0.9512, sd: 0.0123, n: 5 }, 3) // '0.951 ± 0.012'
 */
export function fmtMeanSd(s: { readonly mean: number; readonly sd: number; readonly n: number }, digits: number): string {
  if (s.n <= 1) return fmt(s.mean, digits);
  return `${fmt(s.mean, digits)} ± ${fmt(s.sd, digits)}`;
}
