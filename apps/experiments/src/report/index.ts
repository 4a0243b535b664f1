export type { ExperimentReport, Figure } from './experiment-report.js';
export { markdownTable, fmt, meanSd, mean } from './markdown-table.js';
export { renderReport } from './render-report.js';
export type { RenderReportOptions } from './render-report.js';
