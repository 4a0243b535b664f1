import { PALETTE, escapeXml, px } from './palette.js';
import { formatTick, linearTicks } from './ticks.js';

/** Options of {@link renderBarChart}: grouped bars, one group per category, one bar per series. */
export interface BarChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Category names along x (the groups). */
  readonly categories: readonly string[];
  /** One entry per bar colour; `values[c]` is the bar for category c (NaN = no bar). */
  readonly series: ReadonlyArray<{ readonly name: string; readonly values: readonly number[] }>;
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { left: 70, right: 20, top: 36, bottom: 52 };

/**
 * Renders a grouped bar chart as a standalone SVG document, y from 0 (or the data minimum if
 * negative), with ticks, labels, a title and a legend.
 *
 * @param o the chart (see {@link BarChartOptions})
 * @returns the SVG text
 * @example
 * renderBarChart({ title: 't', xLabel: 'data', yLabel: 'ECE', categories: ['a'], series: [{ name: 's', values: [0.1] }] });
 */
export function renderBarChart(o: BarChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 400;
  let lo = 0;
  let hi = 0;
  for (const s of o.series) {
    for (const v of s.values) {
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const yt = linearTicks(lo, hi * 1.15 || 1, 5);
  const y0 = yt[0];
  const y1 = yt[yt.length - 1];
  const L = MARGIN.left;
  const R = width - MARGIN.right;
  const T = MARGIN.top;
  const B = height - MARGIN.bottom;
  const sy = (v: number) => B - ((v - y0) / (y1 - y0)) * (B - T);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  );
  parts.push(`<title>${escapeXml(o.title)}</title>`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="${px(width / 2)}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(o.title)}</text>`);
  for (const v of yt) {
    const Y = px(sy(v));
    parts.push(`<line x1="${px(L)}" y1="${Y}" x2="${px(R)}" y2="${Y}" stroke="#e6e6e6"/>`);
    parts.push(`<line x1="${px(L - 5)}" y1="${Y}" x2="${px(L)}" y2="${Y}" stroke="#000"/>`);
    parts.push(`<text x="${px(L - 8)}" y="${px(sy(v) + 4)}" text-anchor="end">${escapeXml(formatTick(v, false))}</text>`);
  }
  const nc = Math.max(1, o.categories.length);
  const ns = Math.max(1, o.series.length);
  const gw = (R - L) / nc;
  const bw = (gw * 0.8) / ns;
  o.categories.forEach((c, i) => {
    const gx = L + i * gw + gw * 0.1;
    parts.push(`<text x="${px(L + (i + 0.5) * gw)}" y="${px(B + 18)}" text-anchor="middle">${escapeXml(c)}</text>`);
    o.series.forEach((s, k) => {
      const v = s.values[i];
      if (!Number.isFinite(v)) return;
      const top = sy(Math.max(v, 0));
      const bot = sy(Math.min(v, 0));
      parts.push(
        `<rect x="${px(gx + k * bw)}" y="${px(top)}" width="${px(bw * 0.92)}" height="${px(Math.max(0.5, bot - top))}" fill="${PALETTE[k % PALETTE.length]}"/>`,
      );
    });
  });
  parts.push(`<line x1="${px(L)}" y1="${px(sy(0))}" x2="${px(R)}" y2="${px(sy(0))}" stroke="#000"/>`);
  parts.push(`<rect x="${px(L)}" y="${px(T)}" width="${px(R - L)}" height="${px(B - T)}" fill="none" stroke="#000"/>`);
  parts.push(`<text x="${px((L + R) / 2)}" y="${px(height - 12)}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  parts.push(
    `<text x="16" y="${px((T + B) / 2)}" text-anchor="middle" transform="rotate(-90 16 ${px((T + B) / 2)})">${escapeXml(o.yLabel)}</text>`,
  );
  const lw = Math.max(...o.series.map((s) => s.name.length), 1) * 6.6 + 36;
  const lx = R - lw - 8;
  const ly = T + 8;
  parts.push(
    `<rect x="${px(lx)}" y="${px(ly)}" width="${px(lw)}" height="${px(o.series.length * 18 + 8)}" fill="#ffffff" fill-opacity="0.85" stroke="#999"/>`,
  );
  o.series.forEach((s, k) => {
    const yy = ly + 16 + k * 18;
    parts.push(`<rect x="${px(lx + 8)}" y="${px(yy - 10)}" width="14" height="10" fill="${PALETTE[k % PALETTE.length]}"/>`);
    parts.push(`<text x="${px(lx + 30)}" y="${px(yy)}">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
