/**
 * @packageDocumentation
 * The mathematics of logit-stream: losses, optimisers, hashing, statistics, metrics, calibration,
 * label-noise correction and drift detection. No I/O, no runtime dependencies, allocation-free per event.
 */
export { KernelError } from './errors.js';
export type { NamedState, StateValue } from './state.js';
export type { Loss } from './losses/base.js';
export type { LinearOptimizer } from './optim/base.js';
export type { Metric } from './metrics/base.js';
export type { Calibrator } from './calibration/base.js';
export type { DriftDetector } from './drift/base.js';
export * from './math/index.js';
export * from './losses/index.js';
export * from './optim/index.js';
export * from './hashing/index.js';
export * from './features/index.js';
export * from './stats/index.js';
export * from './metrics/index.js';
export * from './calibration/index.js';
export * from './noise/index.js';
export * from './drift/index.js';
export * from './random/index.js';
