import { entropyFloorExperiment } from './experiments/entropy-floor.js';
import { errorSignalExperiment } from './experiments/error-signal.js';
import { implicitBiasExperiment } from './experiments/implicit-bias.js';
import { labelSmoothingExperiment } from './experiments/label-smoothing.js';
import { marginsExperiment } from './experiments/margins.js';
import { noisyLabelsExperiment } from './experiments/noisy-labels.js';
import { scaleOutExperiment } from './experiments/scale-out.js';
import type { ExperimentReport, Figure } from './report/experiment-report.js';
import { renderReport } from './report/render-report.js';

/** Options of {@link runExperiments}. */
export interface RunExperimentsOptions {
  /** Reduced run. */
  readonly quick?: boolean;
  /** Folder of the shared CSV data sets (default '../shared/data'). */
  readonly dataDir?: string;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/**
 * Runs all seven experiments in order and renders the report.
 *
 * @param o options
 * @returns the markdown, the figures to write under `figures/`, and each experiment's wall time (s)
 * @example
 * const { markdown, figures } = runExperiments({ quick: true });
 */
export function runExperiments(o: RunExperimentsOptions = {}): {
  markdown: string;
  figures: Figure[];
  reports: ExperimentReport[];
  timings: Record<string, number>;
} {
  const quick = o.quick === true;
  const log = o.log ?? (() => undefined);
  const steps: Array<[string, () => ExperimentReport]> = [
    ['error-signal', () => errorSignalExperiment({ quick }).report],
    ['entropy-floor', () => entropyFloorExperiment({ quick }).report],
    ['label-smoothing', () => labelSmoothingExperiment({ quick, dataDir: o.dataDir }).report],
    ['noisy-labels', () => noisyLabelsExperiment({ quick, dataDir: o.dataDir }).report],
    ['margins', () => marginsExperiment({ quick, dataDir: o.dataDir }).report],
    ['implicit-bias', () => implicitBiasExperiment({ quick }).report],
    ['scale-out', () => scaleOutExperiment({ quick }).report],
  ];
  const reports: ExperimentReport[] = [];
  const timings: Record<string, number> = {};
  for (const [name, run] of steps) {
    const t0 = performance.now();
    reports.push(run());
    timings[name] = Number(((performance.now() - t0) / 1000).toFixed(2));
    log(`experiments: ${name} done in ${timings[name]} s`);
  }
  return { markdown: renderReport(reports, { quick }), figures: reports.flatMap((r) => r.figures), reports, timings };
}
