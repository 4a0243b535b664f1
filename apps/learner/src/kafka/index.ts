export { KafkaAdapterError } from './kafka-adapter-error.js';
export { SecretValue } from './secret-value.js';
export {
  KAFKA_CONFIG_DEFAULTS,
  KAFKA_LOG_LEVELS,
  KAFKA_CONSUMER_CLIENTS,
  KAFKA_PRODUCER_CLIENTS,
  SASL_MECHANISMS,
  describeKafkaConfig,
  kafkaConfigFromEnv,
  resolveKafkaConfig,
  type KafkaConfigOptions,
  type KafkaConnectionConfig,
  type KafkaLogLevel,
  type KafkaConsumerClient,
  type KafkaProducerClient,
  type SaslMechanism,
} from './kafka-config.js';
export { createKafkaClient, kafkaConnectionConfigOf, toKafkaJsConfig, toTlsOptions } from './kafka-client.js';
export { explainConnectError } from './explain-connect-error.js';
export { kafkaLogCreator } from './kafka-log-creator.js';
export { defaultKafkaLogger, type StructuredLogger } from './structured-logger.js';
export { createKafkaSource, type KafkaSource, type KafkaSourceOptions } from './kafka-source.js';
export { createKafkaSink, type KafkaSink, type KafkaSinkOptions } from './kafka-sink.js';
export { createPlatformaticSink, type PlatformaticSink, type PlatformaticSinkOptions } from './platformatic-sink.js';
export { createLeanSink, type LeanSink, type LeanSinkOptions } from './lean-sink.js';
export { RecordBatchWriter, RECORD_BATCH_HEADER_BYTES } from './record-batch-writer.js';
export { createProduceRequest, PRODUCE_API_VERSION, type ProduceBatchRef } from './produce-request.js';
export { javaPartition, murmur2 } from './java-partition.js';
export { chunkRecords, recordBytes, SINK_MAX_REQUEST_BYTES } from './chunk-records.js';
export { createKafkaTransactionalSink, type KafkaTransactionalSink, type KafkaTransactionalSinkOptions } from './kafka-transactional-sink.js';
export { ensureTopics, type EnsureTopicsOptions, type EnsureTopicsResult, type TopicSpec } from './topics.js';
export { DEFAULT_LEARNER_TOPICS, learnerTopicSpecs, type LearnerTopicNames } from './learner-topics.js';
