/**
 * The evaluation harness behind `pnpm logit evaluate`: experiment definitions, seeded label noise and
 * audits, splits, the three experiments (label noise, calibration, drift) and the writers of
 * `docs/evaluation.md`.
 */
export { runEvaluation, DEFAULT_DATA_DIR, DEFAULT_EVALUATION_OUT } from './run-evaluation.js';
export type { EvaluationOptions, EvaluationResult } from './run-evaluation.js';
export { registerEvaluateCommand } from './evaluate-command.js';
export type { EvaluateIo } from './evaluate-command.js';
export { EvaluationError } from './evaluation-error.js';
export { evaluationSetup, DATASETS, EXPERIMENTS } from './definitions.js';
export type {
  CalibrationSetup,
  CalibrationStream,
  CsvDatasetRef,
  DriftSetup,
  DriftStream,
  EvaluationSetup,
  ExperimentName,
  NoiseLabels,
  NoiseSetup,
  NoiseVariant,
  Variant,
} from './definitions.js';
export { runNoiseExperiment, NOISE_SEED_OFFSETS } from './noise-experiment.js';
export type { NoiseResults, NoiseRun, NoiseSummaryRow } from './noise-experiment.js';
export { runCalibrationExperiment } from './calibration-experiment.js';
export type { CalibrationResults, CalibrationRun, CalibrationSummaryRow } from './calibration-experiment.js';
export { runDriftExperiment, REDRAW_SEED_OFFSET } from './drift-experiment.js';
export type { DriftResults, DriftRun, DriftSummaryRow, WatchedModel } from './drift-experiment.js';
export { renderEvaluationMarkdown } from './render-markdown.js';
export type { EvaluationReportInput } from './render-markdown.js';
export type { Dataset } from './dataset.js';
export { loadCsvDataset } from './load-csv-dataset.js';
export { standardizeDataset } from './standardize-dataset.js';
export { fillDenseEvent } from './fill-dense-event.js';
export { flipLabels } from './flip-labels.js';
export { selectTrusted } from './select-trusted.js';
export { trainTestSplit } from './train-test-split.js';
export type { TrainTestSplit } from './train-test-split.js';
export { LogisticStream } from './logistic-stream.js';
export type { LogisticStreamOptions } from './logistic-stream.js';
export { scoreDetections } from './score-detections.js';
export type { DetectionScore } from './score-detections.js';
export { summarize } from './summarize.js';
export type { Summary } from './summarize.js';
export { markdownTable, fmt, fmtMeanSd } from './markdown-table.js';
export type { Align } from './markdown-table.js';
