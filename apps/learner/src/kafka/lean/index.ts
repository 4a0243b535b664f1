export { createLeanBrokers, kafkaErrorName, type LeanBrokers, type LeanBrokersConfig, type LeanMetadata } from './lean-brokers.js';
export { createLeanGroupMember, leanGroupCoordinator, type LeanGroupMember, type LeanGroupMemberOptions, type LeanTopicPartition } from './lean-group-member.js';
export { fetchOnce, type LeanFetchPartitionResult, type LeanFetchRequest } from './lean-fetcher.js';
export { createLeanKafkaSource, type LeanKafkaSource, type LeanKafkaSourceOptions } from './lean-kafka-source.js';
export { listOffsets, partitionKey, type OffsetSpec } from './list-offsets.js';
export { LeanMessage, RecordBatchReader } from './record-batch-reader.js';
