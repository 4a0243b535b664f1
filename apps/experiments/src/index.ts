/**
 * @packageDocumentation
 * `pnpm experiments`: reproduces the claims of the logistic loss with the project's own code and writes
 * `docs/experiments.md` with SVG figures.
 */
export { ExperimentError } from './errors.js';
export { runExperiments } from './run-experiments.js';
export type { RunExperimentsOptions } from './run-experiments.js';
export * from './svg/index.js';
export * from './svm/index.js';
export * from './data/index.js';
export * from './report/index.js';
export { implicitBiasExperiment, gradientDescentTrace, largestSingularValue } from './experiments/implicit-bias.js';
export type { ImplicitBiasOptions, ImplicitBiasResult, BiasRun, BiasTrace } from './experiments/implicit-bias.js';
export { errorSignalExperiment } from './experiments/error-signal.js';
export type { ErrorSignalOptions, ErrorSignalResult, GradientCell, StepDraw } from './experiments/error-signal.js';
export { entropyFloorExperiment, categoricalData } from './experiments/entropy-floor.js';
export type { EntropyFloorOptions, EntropyFloorResult, FloorRun } from './experiments/entropy-floor.js';
export { labelSmoothingExperiment, REAL_DATA_LEARNER } from './experiments/label-smoothing.js';
export type { LabelSmoothingOptions, LabelSmoothingResult, SmoothingRun } from './experiments/label-smoothing.js';
export { noisyLabelsExperiment, NOISE_VARIANTS } from './experiments/noisy-labels.js';
export type { NoisyLabelsOptions, NoisyLabelsResult, NoiseRun, NoiseVariant } from './experiments/noisy-labels.js';
export { marginsExperiment, MARGIN_MODELS } from './experiments/margins.js';
export type { MarginsOptions, MarginsResult, MarginStream, MarginModelResult } from './experiments/margins.js';
export { scaleOutExperiment, simulateScaleOut, MIX_RULES, PARTITIONINGS, SCALE_OUT_STREAMS } from './experiments/scale-out.js';
export type { ScaleOutOptions, ScaleOutResult, ScaleOutCell, ScaleOutRunOptions, ScaleOutRunResult, ScaleOutStream, MixRule, Partitioning } from './experiments/scale-out.js';
export { REAL_DATASETS, loadRealDataset } from './experiments/real-datasets.js';
export type { RealDatasetSpec } from './experiments/real-datasets.js';
export { nnls } from './svm/nnls.js';
