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
