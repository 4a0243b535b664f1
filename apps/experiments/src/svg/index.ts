export { renderLineChart } from './line-chart.js';
export type { ChartSeries, LineChartOptions } from './line-chart.js';
export { renderBarChart } from './bar-chart.js';
export type { BarChartOptions } from './bar-chart.js';
export { linearTicks, logTicks, formatTick } from './ticks.js';
export { PALETTE, DASHES, escapeXml, px } from './palette.js';
