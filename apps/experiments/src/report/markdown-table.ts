/**
 * A GitHub-flavoured markdown table; the first column left-aligned, the others right-aligned.
 *
 * @param header column titles
 * @param rows cells (already formatted)
 * @example
 * markdownTable(['a', 'b'], [['x', '1']]); // "| a | b |\n| :-- | --: |\n| x | 1 |"
 */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `| ${header.map(esc).join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? ':--' : '--:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/**
 * A number to `digits` significant digits for a table ('–' for NaN; exponent form below 1e-3).
 *
 * @param v the value
 * @param digits significant digits (default 3)
 * @example
 * fmt(0.123456); // "0.123"
 * fmt(1.5e-11); // "1.50e-11"
 */
export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '–' : v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e6) return v.toExponential(digits - 1).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

/**
 * Mean ± sample standard deviation, formatted with {@link fmt} (just the mean for one value).
 *
 * @param xs the values
 * @param digits significant digits of the mean
 * @example
 * meanSd([1, 2, 3]); // "2 ± 1"
 */
export function meanSd(xs: readonly number[], digits = 3): string {
  const m = mean(xs);
  if (xs.length < 2) return fmt(m, digits);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return `${fmt(m, digits)} ± ${fmt(Math.sqrt(s / (xs.length - 1)), 2)}`;
}

/**
 * The arithmetic mean (NaN for none).
 *
 * @param xs the values
 * @example
 * mean([1, 2]); // 1.5
 */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
