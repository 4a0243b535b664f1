export type { NoiseEstimator } from './base.js';
export { validateNoiseRates } from './validate-noise-rates.js';
export { clipNoiseRatesInto } from './clip-noise-rates.js';
export { ForwardCorrectedLoss } from './forward-corrected-loss.js';
export { BackwardCorrectedLoss } from './backward-corrected-loss.js';
export { TrustedPairEstimator, type TrustedPairEstimatorOptions } from './trusted-pair-estimator.js';
export { PosteriorRegressionEstimator } from './posterior-regression-estimator.js';
export { AnchorPointEstimator, type AnchorPointEstimatorOptions } from './anchor-point-estimator.js';
