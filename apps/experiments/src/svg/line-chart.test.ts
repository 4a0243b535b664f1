import { describe, expect, it } from 'vitest';
import { renderLineChart } from './line-chart.js';

describe('renderLineChart', () => {
  const svg = renderLineChart({
    title: 'cos vs t',
    xLabel: 'step t',
    yLabel: 'cosine',
    xLog: true,
    series: [
      { name: 'gd', points: [[1, 0.5], [10, 0.9], [1e6, 0.999]] },
      { name: 'pts', mode: 'scatter', points: [[2, 0.6], [0, 0.7], [20, Number.NaN], [200, 0.95]] },
    ],
  });
  it('labels both axes, titles the figure and writes a legend entry per series', () => {
    expect(svg).toContain('>step t</text>');
    expect(svg).toContain('>cosine</text>');
    expect(svg).toContain('<title>cos vs t</title>');
    expect(svg).toContain('>gd</text>');
    expect(svg).toContain('>pts</text>');
  });
  it('ticks a log axis at powers of ten and skips points it cannot place (x ≤ 0, NaN)', () => {
    expect(svg).toContain('>10⁶</text>');
    expect(svg).toContain('>1000</text>');
    // 2 plotted scatter points + 1 legend marker.
    expect(svg.match(/<circle /g)?.length).toBe(3);
  });
  it('places points by the scale: the first x tick at the left edge, the last at the right', () => {
    const s = renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', width: 200, height: 100, series: [{ name: 'a', points: [[0, 0], [1, 1]] }] });
    // plot area is x ∈ [70, 180], y ∈ [36, 48]: the line runs corner to corner.
    expect(s).toContain('d="M70.00 48.00L180.00 36.00"');
  });
  it('is deterministic', () => {
    const again = renderLineChart({
      title: 'cos vs t',
      xLabel: 'step t',
      yLabel: 'cosine',
      xLog: true,
      series: [
        { name: 'gd', points: [[1, 0.5], [10, 0.9], [1e6, 0.999]] },
        { name: 'pts', mode: 'scatter', points: [[2, 0.6], [0, 0.7], [20, Number.NaN], [200, 0.95]] },
      ],
    });
    expect(again).toBe(svg);
  });
});

describe('renderLineChart legend', () => {
  it('leaves out series marked inLegend: false', () => {
    const svg = renderLineChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        { name: 'shown', points: [[0, 0], [1, 1]] },
        { name: 'hidden', inLegend: false, points: [[0, 1], [1, 0]] },
      ],
    });
    expect(svg).toContain('>shown</text>');
    expect(svg).not.toContain('>hidden</text>');
    expect(svg.match(/<path /g)?.length).toBe(2);
  });
});
