import { listOffsetsV7, type Connection } from '@platformatic/kafka';
import { KafkaAdapterError } from '../kafka-adapter-error.js';
import { kafkaErrorName, sendRequest, type LeanBrokers } from './lean-brokers.js';

const API_LIST_OFFSETS = 2;
const LIST_OFFSETS_VERSION = 7;
const EARLIEST_TIMESTAMP = -2n;
const LATEST_TIMESTAMP = -1n;
const ATTEMPTS = 6;
const RETRY_DELAY_MS = 100;
const RETRY_MAX_DELAY_MS = 1000;

/** Which end of a partition {@link listOffsets} looks up: the log start, or the end (the LSO under read_committed). */
export type OffsetSpec = 'earliest' | 'latest';

/** A partition for {@link listOffsets}. */
export interface ListOffsetsPartition {
  readonly topic: string;
  readonly partition: number;
}

/** One partition of a {@link listOffsetsOnce} answer. */
export interface ListOffsetsResult {
  readonly topic: string;
  readonly partition: number;
  /** 0: none; else e.g. 6 NOT_LEADER_OR_FOLLOWER, 78 OFFSET_NOT_AVAILABLE (then `offset` is −1). */
  readonly errorCode: number;
  readonly offset: number;
  readonly leaderEpoch: number;
}

/** Answers worth asking again for (after a metadata refresh): leadership moving, a new leader not ready yet. */
const RETRIABLE = new Set([
  3, // UNKNOWN_TOPIC_OR_PARTITION
  5, // LEADER_NOT_AVAILABLE
  6, // NOT_LEADER_OR_FOLLOWER
  7, // REQUEST_TIMED_OUT
  9, // REPLICA_NOT_AVAILABLE
  56, // KAFKA_STORAGE_ERROR
  74, // FENCED_LEADER_EPOCH
  75, // UNKNOWN_LEADER_EPOCH
  78, // OFFSET_NOT_AVAILABLE
]);

/**
 * The map key {@link listOffsets} uses for a partition: `partition:topic` (the lean source's key; ':'
 * cannot occur in a topic name, so it is unambiguous).
 *
 * @example
 * partitionKey('events', 3); // '3:events'
 */
export const partitionKey = (topic: string, partition: number): string => `${partition}:${topic}`;

type ListOffsetsResponse = ReturnType<typeof listOffsetsV7.parseResponse>;

/** platformatic's parser, returning the response also when partitions carry error codes. */
const parseListOffsets = (c: number, k: number, v: number, r: Parameters<typeof listOffsetsV7.parseResponse>[3]): ListOffsetsResponse => {
  try {
    return listOffsetsV7.parseResponse(c, k, v, r);
  } catch (e) {
    const response = (e as { response?: ListOffsetsResponse }).response;
    if (response !== undefined) return response;
    throw e;
  }
};

/**
 * Sends one ListOffsets v7 request over `conn` (the partitions' leader) for the earliest or latest
 * offset of each partition; errors per partition are returned, not thrown. Under read_committed,
 * `latest` is the last stable offset (what a read_committed consumer starting at the end reads from).
 *
 * @param conn a connection to the leader of every partition
 * @param partitions the partitions
 * @param spec 'earliest' (log start) or 'latest' (log end / LSO)
 * @param readCommitted isolation level of the lookup (default true)
 * @returns one result per partition answered
 * @throws KafkaAdapterError `list-offsets-failed` (retriable) when the request fails; the connection's socket is destroyed then
 * @example
 * const [r] = await listOffsetsOnce(conn, [{ topic: 'events', partition: 0 }], 'earliest');
 */
export async function listOffsetsOnce(
  conn: Connection,
  partitions: readonly ListOffsetsPartition[],
  spec: OffsetSpec,
  readCommitted = true,
): Promise<ListOffsetsResult[]> {
  const timestamp = spec === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP;
  const topics = new Map<string, listOffsetsV7.ListOffsetsRequestPartition[]>();
  for (const p of partitions) {
    let list = topics.get(p.topic);
    if (list === undefined) topics.set(p.topic, (list = []));
    list.push({ partitionIndex: p.partition, currentLeaderEpoch: -1, timestamp });
  }
  const payload = listOffsetsV7.createRequest(-1, readCommitted ? 1 : 0, [...topics].map(([name, ps]) => ({ name, partitions: ps })));
  let response: ListOffsetsResponse;
  try {
    response = await sendRequest(conn, API_LIST_OFFSETS, LIST_OFFSETS_VERSION, payload, parseListOffsets);
  } catch (error) {
    throw new KafkaAdapterError(
      'list-offsets-failed',
      `looking up the ${spec} offsets of ${[...topics.keys()].join(', ')} failed: ${(error as Error).message}; the connection was closed: try again`,
      { cause: error, retriable: true },
    );
  }
  const out: ListOffsetsResult[] = [];
  for (const t of response.topics) {
    for (const p of t.partitions) {
      const offset = Number(p.offset);
      if (!Number.isSafeInteger(offset)) {
        throw new KafkaAdapterError('offset-too-large', `the ${spec} offset ${p.offset} of ${t.name}-${p.partitionIndex} is 2^53 or more, beyond what the lean consumer computes exactly: use the kafkajs consumer`);
      }
      out.push({ topic: t.name, partition: p.partitionIndex, errorCode: p.errorCode, offset, leaderEpoch: p.leaderEpoch });
    }
  }
  return out;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The earliest or latest offset of each partition, looked up at each partition's leader (ListOffsets
 * v7, per leader one request): where a group without committed offsets starts. Retriable answers
 * (NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE, UNKNOWN_TOPIC_OR_PARTITION, OFFSET_NOT_AVAILABLE
 * just after a leader change, FENCED/UNKNOWN_LEADER_EPOCH, a failed connection) are asked again
 * after a fresh metadata look-up, 100 ms apart doubling to 1 s, six attempts in all (about 3 s).
 *
 * @param brokers the lean broker registry (metadata for the leaders, their connections)
 * @param partitions the partitions
 * @param spec 'earliest' or 'latest'
 * @param readCommitted isolation level (default true: `latest` is the last stable offset)
 * @param retry `attempts` (default 6) and the first `retryDelayMs` (default 100; doubling, at most 1 s)
 * @returns the offset per {@link partitionKey}
 * @throws KafkaAdapterError `list-offsets-failed` (retriable) when some partition still has no answer
 *   after the retries; `list-offsets-refused` (not retriable) for any other error code, e.g.
 *   TOPIC_AUTHORIZATION_FAILED
 * @example
 * const at = await listOffsets(brokers, [{ topic: 'events', partition: 0 }], 'earliest');
 * at.get(partitionKey('events', 0)); // e.g. 0
 */
export async function listOffsets(
  brokers: Pick<LeanBrokers, 'metadata' | 'node'>,
  partitions: readonly ListOffsetsPartition[],
  spec: OffsetSpec,
  readCommitted = true,
  retry: { readonly attempts?: number; readonly retryDelayMs?: number } = {},
): Promise<Map<string, number>> {
  const attempts = retry.attempts ?? ATTEMPTS;
  const firstDelay = retry.retryDelayMs ?? RETRY_DELAY_MS;
  const result = new Map<string, number>();
  let pending = [...partitions];
  let lastProblem = '';
  for (let attempt = 0; attempt < attempts && pending.length > 0; attempt++) {
    if (attempt > 0) await delay(Math.min(RETRY_MAX_DELAY_MS, firstDelay * 2 ** (attempt - 1)));
    const still: ListOffsetsPartition[] = [];
    let md;
    try {
      md = await brokers.metadata([...new Set(pending.map((p) => p.topic))]);
    } catch (e) {
      lastProblem = `metadata: ${(e as Error).message}`;
      continue;
    }
    const byLeader = new Map<number, ListOffsetsPartition[]>();
    for (const p of pending) {
      const leader = md.topics.get(p.topic)?.partitions.find((x) => x.partition === p.partition)?.leaderId ?? -1;
      if (leader < 0) {
        still.push(p);
        lastProblem = `no leader known for ${p.topic}-${p.partition}`;
        continue;
      }
      let g = byLeader.get(leader);
      if (g === undefined) byLeader.set(leader, (g = []));
      g.push(p);
    }
    await Promise.all(
      [...byLeader].map(async ([leader, group]) => {
        let answers: ListOffsetsResult[];
        try {
          answers = await listOffsetsOnce(await brokers.node(leader), group, spec, readCommitted);
        } catch (e) {
          if (e instanceof KafkaAdapterError && !e.retriable) throw e;
          lastProblem = (e as Error).message;
          still.push(...group);
          return;
        }
        const answered = new Set<string>();
        for (const a of answers) {
          const k = partitionKey(a.topic, a.partition);
          answered.add(k);
          if (a.errorCode === 0) result.set(k, a.offset);
          else if (RETRIABLE.has(a.errorCode)) {
            still.push({ topic: a.topic, partition: a.partition });
            lastProblem = `${a.topic}-${a.partition}: ${kafkaErrorName(a.errorCode)}`;
          } else {
            throw new KafkaAdapterError(
              'list-offsets-refused',
              `the broker refused to look up the ${spec} offset of ${a.topic}-${a.partition}: ${kafkaErrorName(a.errorCode)}; check that the topic exists and that this client may describe it`,
            );
          }
        }
        for (const p of group) if (!answered.has(partitionKey(p.topic, p.partition))) still.push(p);
      }),
    );
    pending = still;
  }
  if (pending.length > 0) {
    throw new KafkaAdapterError(
      'list-offsets-failed',
      `could not look up the ${spec} offsets of ${pending.map((p) => `${p.topic}-${p.partition}`).join(', ')} after ${attempts} attempts (last: ${lastProblem}); the brokers may be electing leaders: try again`,
      { retriable: true },
    );
  }
  return result;
}
