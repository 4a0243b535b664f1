/** One figure of the report: the SVG file (under docs/figures/) and its caption. */
export interface Figure {
  /** File name under the figures folder, e.g. `implicit-bias-cosine.svg`. */
  readonly file: string;
  readonly svg: string;
  /** Alt text: what the figure plots. */
  readonly alt: string;
  /** Caption: what to look at. */
  readonly caption: string;
}

/**
 * The rendered part of one experiment: setup bullets, figures, markdown tables and findings, all
 * derived from the same numbers (the tables print the values the figures draw).
 *
 * @example
 * const r: ExperimentReport = { id: 'x', title: 'X', setup: [], figures: [], tables: [], shows: [] };
 */
export interface ExperimentReport {
  readonly id: string;
  readonly title: string;
  /** The claim under test, one paragraph. */
  readonly claim?: string;
  /** Markdown bullets (without the leading dash). */
  readonly setup: readonly string[];
  readonly figures: readonly Figure[];
  /** Markdown tables (each a full table, optionally preceded by a one-line heading). */
  readonly tables: readonly string[];
  /** What it shows: markdown paragraphs with the measured numbers. */
  readonly shows: readonly string[];
}
