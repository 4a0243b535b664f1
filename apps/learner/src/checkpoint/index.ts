export { encodeSnapshotValue, decodeSnapshotValue } from './snapshot-value.js';
export { snapshotKeyBase, snapshotKey, snapshotSeq, type SnapshotConfig } from './snapshot-keys.js';
export { readLatestSnapshot, type ReadLatestSnapshotOptions } from './read-latest-snapshot.js';
export { GroupSnapshots, instanceHeaders, type GroupSnapshotsOptions, type LatestSnapshot, type PeerSnapshot } from './group-snapshots.js';
export { CheckpointingProcessor, type CheckpointingProcessorOptions, type GroupPeers, type GroupSnapshotConfig, type RestoredPosition } from './checkpointing-processor.js';
export {
  createPartitionedTransactionalSink,
  type PartitionedTransactionalSink,
  type PartitionedTransactionalSinkOptions,
} from './partitioned-transactional-sink.js';
export { isBrokerOutage, retryWhileBrokerDown, retryingSink, retryingCommits, type BrokerRetryOptions } from './broker-retry.js';
export { commitAfterStop } from './commit-after-stop.js';
