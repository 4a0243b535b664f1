export { encodeSnapshotValue, decodeSnapshotValue } from './snapshot-value.js';
export { snapshotKeyBase, snapshotKey, snapshotSeq, type SnapshotConfig } from './snapshot-keys.js';
export { readLatestSnapshot, type LatestSnapshot, type ReadLatestSnapshotOptions } from './read-latest-snapshot.js';
export { CheckpointingProcessor, type CheckpointingProcessorOptions } from './checkpointing-processor.js';
export {
  createPartitionedTransactionalSink,
  type PartitionedTransactionalSink,
  type PartitionedTransactionalSinkOptions,
} from './partitioned-transactional-sink.js';
export { isBrokerOutage, retryWhileBrokerDown, retryingSink, retryingCommits, type BrokerRetryOptions } from './broker-retry.js';
export { commitAfterStop } from './commit-after-stop.js';
