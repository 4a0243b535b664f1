/**
 * Colours of the figures' series, in order (colour-blind-safe, after Okabe & Ito 2008), and the dash
 * patterns that tell series apart in grey-scale print.
 *
 * @example
 * PALETTE[0]; // "#0072b2"
 */
export const PALETTE: readonly string[] = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#999999'];

/** SVG `stroke-dasharray` values for the series, in order ('' = solid). */
export const DASHES: readonly string[] = ['', '6 3', '2 2', '8 3 2 3', '', '6 3', '2 2', ''];

/**
 * Escapes text for an SVG/XML text node or attribute.
 *
 * @param s the text
 * @example
 * escapeXml('a < b'); // "a &lt; b"
 */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A coordinate for an SVG attribute, to 2 decimals (keeps the files small and byte-stable).
 *
 * @param v a pixel coordinate
 * @example
 * px(1 / 3); // "0.33"
 */
export function px(v: number): string {
  const s = v.toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}
