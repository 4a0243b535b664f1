/**
 * @packageDocumentation
 * The deployable learner: the `logit` CLI (replay, run), the RxJS pipeline, the embedded synthetic
 * source, sinks, and the Kafka adapters. Exported so tests and integration tests can run them in-process.
 */
export { AppError } from './app-error.js';
export { main, buildProgram } from './program.js';
export type { CliIo } from './program.js';
export {
  addLearningOptions,
  learningInputFromFlags,
  resolveFromFlags,
  replayConfigFromFlags,
  runConfigFromFlags,
  runConfigFromSettings,
  numberFlag,
  choiceFlag,
  stringFlag,
} from './options.js';
export type { RawFlags, ReplayConfig, RunConfig, Topics } from './options.js';
export {
  SETTINGS,
  settingsFor,
  setting,
  ResolvedSettings,
  parseSetting,
  allowedText,
  readConfigFile,
  addSettingOptions,
  helpLine,
  badSetting,
  describeEffectiveConfig,
  formatEffectiveConfig,
  configReferenceMarkdown,
  registerConfigCommand,
} from './config/index.js';
export type { CommandName, Setting, SettingType, SettingOrigin, ConfigFile, EffectiveSetting } from './config/index.js';
export { runReplay } from './replay.js';
export type { ReplayIo, ReplaySummary } from './replay.js';
export { runService } from './run.js';
export type { ServiceIo, ServiceSummary } from './run.js';
export { createLogger } from './logger.js';
export { MemorySource, MemorySink } from './io/memory.js';
export type { MemorySourceValuesOptions } from './io/memory.js';
export type * from './io/types.js';
export { EmbeddedSource } from './sources/embedded-source.js';
export type { EmbeddedSourceOptions } from './sources/embedded-source.js';
export { ConsoleSink } from './sinks/console-sink.js';
export type { ConsoleSinkOptions } from './sinks/console-sink.js';
export { JsonlWriter } from './sinks/jsonl-writer.js';
export { BatchProcessor } from './pipeline/batch-processor.js';
export type { BatchProcessorOptions, ProcessedBatch, PublishedMetrics } from './pipeline/batch-processor.js';
export { learnerPipeline } from './pipeline/learner-pipeline.js';
export { processItems } from './pipeline/process-items.js';
export type { BatchJob, ItemProcessor, PipelineStep } from './pipeline/process-items.js';
export { concatAsync } from './pipeline/concat-async.js';
export { withTicks, TICK } from './pipeline/with-ticks.js';
export type { Tick } from './pipeline/with-ticks.js';
export { idleTimeout } from './pipeline/idle-timeout.js';
export { startMetricsServer } from './http/metrics-server.js';
export type { HealthStatus, MetricsServer, MetricsServerOptions, Readiness } from './http/metrics-server.js';
export { createLearnerRegistry, LEARNER_METRIC_NAMES } from './http/learner-metrics.js';
export type { LearnerMetricsState } from './http/learner-metrics.js';
export { PartitionLagTracker } from './http/partition-lag.js';
export type { PartitionLag } from './http/partition-lag.js';
export { ReportHistory } from './http/report-history.js';
export type { HistorySeries } from './http/report-history.js';
