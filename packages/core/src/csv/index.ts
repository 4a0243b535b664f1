export { CsvLayout } from './csv-layout.js';
export type { CsvLayoutOptions } from './csv-layout.js';
export { parseCsvRow } from './parse-csv-row.js';
export { parseCsvRowBytes } from './parse-csv-row-bytes.js';
