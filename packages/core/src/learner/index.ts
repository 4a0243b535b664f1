export { DEFAULT_LEARNER_OPTIONS, resolveLearnerOptions } from './options.js';
export type {
  DriftDetectorName,
  DriftOptions,
  DriftReaction,
  FeatureOptions,
  LearnerOptions,
  LearnerOptionsInput,
} from './options.js';
export { MetricsSuite } from './metrics-suite.js';
export type {
  DriftDetectorReport,
  DriftEventReport,
  DriftReport,
  MetricsReport,
  NoiseReport,
  QualityMetrics,
  ReliabilityBinReport,
} from './metrics-report.js';
export { OnlineLearner, LEARNER_STATE_VERSION, FEATURE_PSI_STRIDE, MAX_PSI_FEATURES, RECENT_DETECTIONS } from './online-learner.js';
export type { ExportedModel } from './online-learner.js';
