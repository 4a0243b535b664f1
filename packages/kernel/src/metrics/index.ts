export { LogLossMetric } from './log-loss-metric.js';
export { BrierMetric } from './brier-metric.js';
export { AccuracyMetric } from './accuracy-metric.js';
export { RocAucMetric, type RocAucMetricOptions } from './roc-auc-metric.js';
export { CalibrationErrorMetric, type ReliabilityBin } from './calibration-error-metric.js';
export { PairWindow } from './pair-window.js';
export { MeanMetric } from './mean-metric.js';
