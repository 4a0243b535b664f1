import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { CommitOffset, EventSource, InputBatch, InputMessage } from '../io/types.js';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { defaultKafkaLogger, type StructuredLogger } from './structured-logger.js';

/** Settings of {@link createKafkaSource}. */
export interface KafkaSourceOptions {
  /** The kafkajs client (see createKafkaClient). */
  readonly kafka: Kafka;
  /** Input topics. */
  readonly topics: readonly string[];
  /** Consumer group; its committed offsets say where a restart continues. */
  readonly groupId: string;
  /** Where a group without committed offsets starts: the oldest message (default true) or new ones only. */
  readonly fromBeginning?: boolean;
  /** Group session timeout (default 30000 ms); a member silent for longer is dropped. */
  readonly sessionTimeoutMs?: number;
  /** Heartbeat period (default 3000 ms), also kept up while a long batch is being handled. */
  readonly heartbeatIntervalMs?: number;
  /** At most this many bytes fetched per partition per request (default 1 MiB): bounds what is buffered. */
  readonly maxBytesPerPartition?: number;
  /** At most this many bytes per fetch request (default 10 MiB). */
  readonly maxBytes?: number;
  /** How long the broker may hold a fetch when there is nothing new (default 500 ms). */
  readonly maxWaitTimeMs?: number;
  /** A fetched batch is handed over in slices of at most this many messages (default 1000). */
  readonly maxMessagesPerCall?: number;
  /** Read messages of open or aborted transactions too (default false: read_committed). */
  readonly readUncommitted?: boolean;
  /** `start` fails when the group has not assigned partitions within this time (default 60000 ms). */
  readonly joinTimeoutMs?: number;
  /** Called after every (re)assignment with the partitions this member now owns, per topic. */
  readonly onAssignment?: (assignment: Readonly<Record<string, readonly number[]>>) => void;
  /** Structured logger (default: pino on stderr at warn). */
  readonly logger?: StructuredLogger;
}

/** An {@link EventSource} on Kafka; `consumer` is exposed for instrumentation events and seeks. */
export interface KafkaSource extends EventSource {
  readonly consumer: Consumer;
}

function toInput(topic: string, partition: number, m: KafkaMessage): InputMessage {
  return { topic, partition, offset: m.offset, key: m.key, value: m.value, timestamp: Number(m.timestamp) };
}

/**
 * An event source on a Kafka consumer group (kafkajs `eachBatch`, manual commits).
 *
 * - Delivery: per partition in offset order; a fetched batch goes to the handler in slices of at most
 *   `maxMessagesPerCall`, and each call is awaited before the next slice — and before anything more is
 *   fetched — so a slow pipeline throttles fetching (back-pressure) and at most one fetch
 *   (`maxBytesPerPartition` per partition) is buffered.
 * - Heartbeats go on while the handler works, so a long batch does not cost the group membership.
 * - Nothing is committed automatically: `commit(offsets)` commits the given next offsets (last
 *   processed + 1). After a restart in the same group, delivery continues at the committed offset.
 * - If the handler throws, the source stops delivering, stops the consumer and `exhausted` rejects
 *   with a KafkaAdapterError 'handler-failed' (uncommitted messages are delivered again next time).
 * - `exhausted` never resolves otherwise: a topic is endless. `stop()` waits for the handler call in
 *   flight (so do not await `stop()` inside the handler), then leaves the group and disconnects.
 *
 * @param o settings (client, topics, group, fetch limits)
 * @returns the source; call `start(handler)` to join the group and begin
 * @example
 * const source = createKafkaSource({ kafka, topics: ['events'], groupId: 'logit-learner' });
 * await source.start(async (batch) => {
 *   for (const m of batch.messages) handle(m);
 *   const last = batch.messages[batch.messages.length - 1];
 *   await source.commit([{ topic: batch.topic, partition: batch.partition, offset: String(BigInt(last.offset) + 1n) }]);
 * });
 */
export function createKafkaSource(o: KafkaSourceOptions): KafkaSource {
  if (o.topics.length === 0) throw new KafkaAdapterError('bad-setting', 'createKafkaSource needs at least one topic (topics: [])');
  const perCall = o.maxMessagesPerCall ?? 1000;
  if (!Number.isInteger(perCall) || perCall < 1) {
    throw new KafkaAdapterError('bad-setting', `maxMessagesPerCall ${perCall} must be a whole number >= 1`);
  }
  const log = o.logger ?? defaultKafkaLogger();
  const heartbeatIntervalMs = o.heartbeatIntervalMs ?? 3000;
  const consumer = o.kafka.consumer({
    groupId: o.groupId,
    sessionTimeout: o.sessionTimeoutMs ?? 30000,
    heartbeatInterval: heartbeatIntervalMs,
    maxBytesPerPartition: o.maxBytesPerPartition ?? 1_048_576,
    maxBytes: o.maxBytes ?? 10_485_760,
    maxWaitTimeInMs: o.maxWaitTimeMs ?? 500,
    readUncommitted: o.readUncommitted ?? false,
    allowAutoTopicCreation: false,
  });

  let state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  let failure: KafkaAdapterError | null = null;
  let rejectExhausted: (e: Error) => void = () => {};
  const exhausted = new Promise<void>((_resolve, reject) => {
    rejectExhausted = reject;
  });
  // Nobody has to listen: a rejection nobody awaits must not crash the process.
  exhausted.catch(() => {});

  const fail = (e: KafkaAdapterError): void => {
    if (failure !== null) return;
    failure = e;
    log.error({ err: e.cause ?? e, code: e.code }, e.message);
    rejectExhausted(e);
    // Stopping waits for eachBatch to return, so it cannot be awaited from inside it.
    setImmediate(() => {
      void stop().catch((err: unknown) => log.warn({ err }, 'stopping the consumer after a failure failed'));
    });
  };

  const runBatch = (handler: (batch: InputBatch) => Promise<void>) => async (p: EachBatchPayload) => {
    const { batch } = p;
    const n = batch.messages.length;
    if (n === 0 || failure !== null || state !== 'running') return;
    const { topic, partition } = batch;
    const beat = setInterval(() => {
      p.heartbeat().catch((err: unknown) => log.debug({ err, topic, partition }, 'heartbeat during a batch failed'));
    }, Math.max(100, Math.floor(heartbeatIntervalMs / 2)));
    try {
      for (let start = 0; start < n; start += perCall) {
        if (!p.isRunning() || p.isStale() || failure !== null || state !== 'running') return;
        const end = Math.min(n, start + perCall);
        const messages = new Array<InputMessage>(end - start);
        for (let i = start; i < end; i++) messages[i - start] = toInput(topic, partition, batch.messages[i]);
        try {
          await handler({ topic, partition, messages, highWatermark: batch.highWatermark });
        } catch (cause) {
          fail(
            new KafkaAdapterError(
              'handler-failed',
              `the batch handler failed on ${topic}[${partition}] at offsets ${messages[0].offset}..${messages[messages.length - 1].offset}: ${(cause as Error)?.message ?? String(cause)}; the source stopped, uncommitted messages are delivered again on restart`,
              { cause },
            ),
          );
          return;
        }
        p.resolveOffset(batch.messages[end - 1].offset);
        await p.heartbeat();
      }
    } finally {
      clearInterval(beat);
    }
  };

  const start = async (handler: (batch: InputBatch) => Promise<void>): Promise<void> => {
    if (state !== 'new') throw new KafkaAdapterError('bad-state', `the Kafka source was already started (it is ${state}); create a new one`);
    state = 'starting';
    const joinTimeoutMs = o.joinTimeoutMs ?? 60000;
    let joined: () => void = () => {};
    const firstJoin = new Promise<void>((resolve) => {
      joined = resolve;
    });
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const assignment = e.payload.memberAssignment as Record<string, number[]>;
      log.info({ groupId: o.groupId, memberId: e.payload.memberId, assignment }, 'joined the consumer group');
      try {
        o.onAssignment?.(assignment);
      } catch (err) {
        log.warn({ err }, 'onAssignment threw; ignored');
      }
      joined();
    });
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) {
        fail(
          new KafkaAdapterError('consumer-crashed', `the Kafka consumer of group ${o.groupId} crashed and will not restart: ${e.payload.error.message}; check the broker and restart the learner`, {
            cause: e.payload.error,
            retriable: true,
          }),
        );
      }
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...o.topics], fromBeginning: o.fromBeginning ?? true });
      state = 'running';
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 1, eachBatch: runBatch(handler) });
    } catch (cause) {
      state = 'stopped';
      await consumer.disconnect().catch(() => {});
      throw new KafkaAdapterError(
        'start-failed',
        `could not start consuming ${o.topics.join(', ')} in group ${o.groupId}: ${(cause as Error).message}; check that the broker is reachable and the topics exist`,
        { cause, retriable: true },
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), joinTimeoutMs);
    });
    const outcome = await Promise.race([firstJoin.then(() => 'joined' as const), timeout, exhausted.then(() => 'joined' as const, () => 'failed' as const)]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      await stop();
      throw new KafkaAdapterError('join-timeout', `group ${o.groupId} assigned no partitions within ${joinTimeoutMs} ms; check the broker's logs and that the topics exist`, { retriable: true });
    }
    if (outcome === 'failed' && failure !== null) throw failure;
  };

  const commit = async (offsets: readonly CommitOffset[]): Promise<void> => {
    if (offsets.length === 0) return;
    for (const c of offsets) {
      if (!/^\d+$/.test(c.offset)) {
        throw new KafkaAdapterError('bad-offset', `commit offset ${JSON.stringify(c.offset)} for ${c.topic}[${c.partition}] is not a decimal offset (the next offset to read: last processed + 1)`);
      }
    }
    if (state !== 'running') {
      throw new KafkaAdapterError('bad-state', `cannot commit offsets: the Kafka source is ${state}; commit before stop()`);
    }
    try {
      await consumer.commitOffsets(offsets.map((c) => ({ topic: c.topic, partition: c.partition, offset: c.offset })));
    } catch (cause) {
      throw new KafkaAdapterError('commit-failed', `committing offsets for group ${o.groupId} failed: ${(cause as Error).message}`, {
        cause,
        retriable: (cause as { retriable?: boolean }).retriable ?? true,
      });
    }
  };

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    if (stopping !== null) return stopping;
    const was = state;
    state = 'stopping';
    stopping = (async () => {
      if (was !== 'new') {
        try {
          await consumer.stop();
        } finally {
          await consumer.disconnect();
        }
      }
      state = 'stopped';
    })();
    return stopping;
  };

  return { consumer, start, commit, stop, exhausted };
}
