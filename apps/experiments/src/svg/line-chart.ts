import { DASHES, PALETTE, escapeXml, px } from './palette.js';
import { formatTick, linearTicks, logTicks } from './ticks.js';

/** One series of a {@link renderLineChart} figure. */
export interface ChartSeries {
  /** Legend entry. */
  readonly name: string;
  /** The points (x, y); non-finite points are skipped (a line breaks there). */
  readonly points: ReadonlyArray<readonly [number, number]>;
  /** 'line' (default), 'scatter' (markers only) or 'both'. */
  readonly mode?: 'line' | 'scatter' | 'both';
  /** Colour; default the palette colour of the series' position. */
  readonly color?: string;
  /** `stroke-dasharray`; default the dash of the series' position. */
  readonly dash?: string;
  /** Whether the series gets a legend entry (default true). */
  readonly inLegend?: boolean;
}

/** Options of {@link renderLineChart}. */
export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  /** Base-10 logarithmic x axis (points with x ≤ 0 are skipped). */
  readonly xLog?: boolean;
  /** Base-10 logarithmic y axis (points with y ≤ 0 are skipped). */
  readonly yLog?: boolean;
  /** Fixed axis ranges; default the data range, widened to nice ticks. */
  readonly xDomain?: readonly [number, number];
  readonly yDomain?: readonly [number, number];
  /** Pixel size; default 640 × 400. */
  readonly width?: number;
  readonly height?: number;
  /** Where the legend goes inside the plot area; default 'top-right'. */
  readonly legend?: 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left';
}

const MARGIN = { left: 70, right: 20, top: 36, bottom: 52 };

/**
 * Renders a line/scatter chart as a standalone SVG document: axes with ticks and labels, a title,
 * light grid lines, a legend, optional log-scaled axes. Output is deterministic (2-decimal coordinates).
 *
 * @param o the chart (see {@link LineChartOptions})
 * @returns the SVG text
 * @example
 * const svg = renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', points: [[0, 0], [1, 1]] }] });
 * svg.startsWith('<svg'); // true
 */
export function renderLineChart(o: LineChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 400;
  const xLog = o.xLog === true;
  const yLog = o.yLog === true;
  const usable = (x: number, y: number): boolean =>
    Number.isFinite(x) && Number.isFinite(y) && (!xLog || x > 0) && (!yLog || y > 0);
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const s of o.series) {
    for (const [x, y] of s.points) {
      if (!usable(x, y)) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (!Number.isFinite(x0)) {
    x0 = xLog ? 1 : 0;
    x1 = xLog ? 10 : 1;
    y0 = yLog ? 1 : 0;
    y1 = yLog ? 10 : 1;
  }
  if (o.xDomain !== undefined) [x0, x1] = o.xDomain;
  if (o.yDomain !== undefined) [y0, y1] = o.yDomain;
  const xt = xLog ? logTicks(x0, x1) : linearTicks(x0, x1, 6);
  const yt = yLog ? logTicks(y0, y1) : linearTicks(y0, y1, 5);
  if (o.xDomain === undefined) {
    x0 = xt[0];
    x1 = xt[xt.length - 1];
  }
  if (o.yDomain === undefined) {
    y0 = yt[0];
    y1 = yt[yt.length - 1];
  }
  const fx = xLog ? Math.log10 : (v: number) => v;
  const fy = yLog ? Math.log10 : (v: number) => v;
  const L = MARGIN.left;
  const R = width - MARGIN.right;
  const T = MARGIN.top;
  const B = height - MARGIN.bottom;
  const sx = (v: number) => L + ((fx(v) - fx(x0)) / (fx(x1) - fx(x0) || 1)) * (R - L);
  const sy = (v: number) => B - ((fy(v) - fy(y0)) / (fy(y1) - fy(y0) || 1)) * (B - T);

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  );
  parts.push(`<title>${escapeXml(o.title)}</title>`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="${px(width / 2)}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(o.title)}</text>`);
  // Grid and ticks.
  for (const v of xt) {
    if (v < Math.min(x0, x1) - 1e-12 || v > Math.max(x0, x1) + 1e-12) continue;
    const X = px(sx(v));
    parts.push(`<line x1="${X}" y1="${px(T)}" x2="${X}" y2="${px(B)}" stroke="#e6e6e6"/>`);
    parts.push(`<line x1="${X}" y1="${px(B)}" x2="${X}" y2="${px(B + 5)}" stroke="#000"/>`);
    parts.push(`<text x="${X}" y="${px(B + 18)}" text-anchor="middle">${escapeXml(formatTick(v, xLog))}</text>`);
  }
  for (const v of yt) {
    if (v < Math.min(y0, y1) - 1e-12 || v > Math.max(y0, y1) + 1e-12) continue;
    const Y = px(sy(v));
    parts.push(`<line x1="${px(L)}" y1="${Y}" x2="${px(R)}" y2="${Y}" stroke="#e6e6e6"/>`);
    parts.push(`<line x1="${px(L - 5)}" y1="${Y}" x2="${px(L)}" y2="${Y}" stroke="#000"/>`);
    parts.push(`<text x="${px(L - 8)}" y="${px(sy(v) + 4)}" text-anchor="end">${escapeXml(formatTick(v, yLog))}</text>`);
  }
  parts.push(`<rect x="${px(L)}" y="${px(T)}" width="${px(R - L)}" height="${px(B - T)}" fill="none" stroke="#000"/>`);
  parts.push(`<text x="${px((L + R) / 2)}" y="${px(height - 12)}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  parts.push(
    `<text x="16" y="${px((T + B) / 2)}" text-anchor="middle" transform="rotate(-90 16 ${px((T + B) / 2)})">${escapeXml(o.yLabel)}</text>`,
  );
  // Series, clipped to the plot area.
  parts.push(`<clipPath id="plot"><rect x="${px(L)}" y="${px(T)}" width="${px(R - L)}" height="${px(B - T)}"/></clipPath>`);
  parts.push(`<g clip-path="url(#plot)">`);
  o.series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length];
    const dash = s.dash ?? DASHES[k % DASHES.length];
    const mode = s.mode ?? 'line';
    if (mode !== 'scatter') {
      let d = '';
      let pen = false;
      for (const [x, y] of s.points) {
        if (!usable(x, y)) {
          pen = false;
          continue;
        }
        d += `${pen ? 'L' : 'M'}${px(sx(x))} ${px(sy(y))}`;
        pen = true;
      }
      if (d !== '') {
        parts.push(
          `<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}/>`,
        );
      }
    }
    if (mode !== 'line') {
      for (const [x, y] of s.points) {
        if (!usable(x, y)) continue;
        parts.push(`<circle cx="${px(sx(x))}" cy="${px(sy(y))}" r="3" fill="${color}" fill-opacity="0.8"/>`);
      }
    }
  });
  parts.push(`</g>`);
  // Legend.
  const pos = o.legend ?? 'top-right';
  const shown = o.series.map((s, k) => ({ s, k })).filter(({ s }) => s.inLegend !== false);
  const lw = Math.max(...shown.map(({ s }) => s.name.length), 1) * 6.6 + 40;
  const lh = shown.length * 18 + 8;
  const lx = pos.endsWith('right') ? R - lw - 8 : L + 8;
  const ly = pos.startsWith('top') ? T + 8 : B - lh - 8;
  if (shown.length > 0) {
    parts.push(`<rect x="${px(lx)}" y="${px(ly)}" width="${px(lw)}" height="${px(lh)}" fill="#ffffff" fill-opacity="0.85" stroke="#999"/>`);
    shown.forEach(({ s, k }, row) => {
      const color = s.color ?? PALETTE[k % PALETTE.length];
      const dash = s.dash ?? DASHES[k % DASHES.length];
      const yy = ly + 16 + row * 18;
      if ((s.mode ?? 'line') === 'scatter') {
        parts.push(`<circle cx="${px(lx + 18)}" cy="${px(yy - 4)}" r="3" fill="${color}"/>`);
      } else {
        parts.push(
          `<line x1="${px(lx + 6)}" y1="${px(yy - 4)}" x2="${px(lx + 30)}" y2="${px(yy - 4)}" stroke="${color}" stroke-width="2"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}/>`,
        );
      }
      parts.push(`<text x="${px(lx + 36)}" y="${px(yy)}">${escapeXml(s.name)}</text>`);
    });
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
