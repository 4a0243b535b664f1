import { describe, expect, it } from 'vitest';
import { renderBarChart } from './bar-chart.js';

describe('renderBarChart', () => {
  it('draws one bar per finite value, plus a legend swatch per series, with labelled axes', () => {
    const svg = renderBarChart({
      title: 'ECE',
      xLabel: 'data set',
      yLabel: 'ECE',
      categories: ['wdbc', 'pima'],
      series: [
        { name: 'log', values: [0.02, 0.05] },
        { name: 'hinge', values: [0.1, Number.NaN] },
      ],
    });
    // background + 3 bars + frame + legend box + 2 swatches
    expect(svg.match(/<rect /g)?.length).toBe(1 + 3 + 1 + 1 + 2);
    expect(svg).toContain('>data set</text>');
    expect(svg).toContain('>wdbc</text>');
    expect(svg).toContain('>hinge</text>');
  });
});
