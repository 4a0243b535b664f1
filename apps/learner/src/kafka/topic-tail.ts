import { randomBytes } from 'node:crypto';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import type { StructuredLogger } from './structured-logger.js';

/** Settings of {@link TopicTail}. */
export interface TopicTailOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly logger: StructuredLogger;
  /** Prefix of the tail's consumer group id (a random suffix is added; a tail never commits). */
  readonly groupIdPrefix: string;
  /** Called for every record, in offset order per partition. */
  readonly onRecord: (partition: number, message: KafkaMessage) => void;
  /** Read from the beginning of the topic (default true) or only what arrives after the start. */
  readonly fromBeginning?: boolean;
  /** Also see records of open and aborted transactions (default false: read_committed). */
  readonly readUncommitted?: boolean;
  /** Largest fetch per partition in bytes (default 16 MiB: snapshots can be large). */
  readonly maxBytesPerPartition?: number;
}

/**
 * Follows one topic from its beginning (or its end) for as long as it runs, handing every record to
 * `onRecord`: the group's model snapshots (scale-out, SPEC §4) and metrics reports. A tail is a
 * kafkajs consumer of its own, with a random group id, that never commits: every start reads the
 * topic again, and it never takes partitions from the learners' group. `start` resolves once every
 * partition has been read up to the end offsets it had when the tail started, so that a caller
 * knows it has seen everything written before it.
 *
 * @example
 * const tail = new TopicTail({ kafka, topic: 'model-snapshots', logger, groupIdPrefix: 'logit-stream/learner-1/',
 *   onRecord: (partition, m) => latest.set(m.key?.toString() ?? '', m) });
 * await tail.start();
 * // … later
 * await tail.stop();
 */
export class TopicTail {
  private consumer: Consumer | null = null;
  private caught = false;
  private stopped = false;
  /** Per partition with records, its end offset (high watermark) when the tail started. */
  private readonly ends = new Map<number, number>();
  /** Per partition, the offset after the last record handed over. */
  private readonly nextOffset = new Map<number, number>();
  /** Ends a catch-up in progress (a stop during `start`). */
  private abortStart: (() => void) | null = null;

  constructor(private readonly o: TopicTailOptions) {}

  /** Per partition that held records at the start, its end offset then (the offset after its last record). */
  get endsAtStart(): ReadonlyMap<number, number> {
    return this.ends;
  }

  /** Whether the end offsets seen at start have been reached. */
  get caughtUp(): boolean {
    return this.caught;
  }

  /**
   * Connects, subscribes and starts following the topic.
   *
   * @param timeoutMs - reaching the end offsets of the start must take no longer (default 60000 ms)
   * @throws KafkaAdapterError 'restore-timeout' (retriable) when the end is not reached in time; the tail is stopped
   */
  async start(timeoutMs = 60_000): Promise<void> {
    const ends = await this.endOffsets(timeoutMs);
    if (this.stopped) return;
    const fromBeginning = this.o.fromBeginning ?? true;
    const pending = new Map<number, number>();
    for (const e of ends) if (Number(e.high) > Number(e.low)) this.ends.set(e.partition, Number(e.high));
    if (fromBeginning) for (const [partition, high] of this.ends) pending.set(partition, high);
    let finish: () => void = () => {};
    const done = new Promise<void>((r) => {
      finish = r;
    });
    let stoppedEarly = false;
    this.abortStart = () => {
      stoppedEarly = true;
      finish();
    };
    const reached = (partition: number, lastOffset: string | null): void => {
      const end = pending.get(partition);
      if (end !== undefined && lastOffset !== null && Number(lastOffset) >= end - 1) {
        pending.delete(partition);
        if (pending.size === 0) finish();
      }
    };
    const consumer = this.o.kafka.consumer({
      groupId: `${this.o.groupIdPrefix.replace(/[^A-Za-z0-9._-]/g, '_')}tail-${randomBytes(4).toString('hex')}`,
      maxWaitTimeInMs: 100,
      maxBytesPerPartition: this.o.maxBytesPerPartition ?? 16 * 1024 * 1024,
      allowAutoTopicCreation: false,
      readUncommitted: this.o.readUncommitted ?? false,
      // kafkajs restarts a crashed consumer (a connection closed by a broker restart): not once stopped.
      retry: { restartOnFailure: async () => !this.stopped },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.END_BATCH_PROCESS, (e) => reached(e.payload.partition, e.payload.lastOffset));
    let timer: NodeJS.Timeout | undefined;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.o.topic], fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          // A tail commits nothing, so a restarted or rejoined kafkajs consumer reads the topic from
          // its beginning again: hand each record over once.
          const next = this.nextOffset.get(batch.partition) ?? -1;
          for (const m of batch.messages) {
            const o = Number(m.offset);
            if (o < next) continue;
            this.nextOffset.set(batch.partition, o + 1);
            this.o.onRecord(batch.partition, m);
          }
        },
      });
      if (pending.size > 0) {
        const timeout = new Promise<'timeout'>((r) => {
          timer = setTimeout(() => r('timeout'), timeoutMs);
          timer.unref();
        });
        if ((await Promise.race([done.then(() => 'done' as const), timeout])) === 'timeout') {
          throw new KafkaAdapterError(
            'restore-timeout',
            `reading the topic ${this.o.topic} to its end took longer than ${timeoutMs} ms (partitions not reached: ${[...pending.keys()].join(', ')}); check the broker`,
            { retriable: true },
          );
        }
      }
      this.caught = !stoppedEarly;
    } catch (e) {
      await this.stop();
      throw e;
    } finally {
      clearTimeout(timer);
      this.abortStart = null;
    }
  }

  /**
   * The topic's offsets, retried while the broker answers with a retriable error (a topic created a
   * moment ago has no leader yet: "This server is not the leader for that topic-partition").
   */
  private async endOffsets(timeoutMs: number): Promise<{ partition: number; high: string; low: string }[]> {
    const admin = this.o.kafka.admin();
    await admin.connect();
    const deadline = Date.now() + timeoutMs;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await admin.fetchTopicOffsets(this.o.topic);
        } catch (e) {
          if ((e as { retriable?: boolean }).retriable !== true || Date.now() + 200 > deadline) throw e;
          this.o.logger.debug({ err: e, topic: this.o.topic, attempt }, 'topic offsets not available yet; retrying');
          await new Promise((r) => setTimeout(r, Math.min(1000, 100 * attempt)));
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  /** Stops following (idempotent). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abortStart?.();
    const c = this.consumer;
    this.consumer = null;
    if (c === null) return;
    // A tail owns no partitions and commits nothing: after a broker restart its leave-group can hang
    // for a request timeout, which must not hold the learner's shutdown up.
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<'late'>((r) => {
      timer = setTimeout(() => r('late'), 5000);
      timer.unref();
    });
    const r = await Promise.race([c.disconnect().then(() => 'done' as const, (e: unknown) => e), limit]);
    clearTimeout(timer);
    if (r === 'late') this.o.logger.warn({ topic: this.o.topic }, 'tail consumer did not disconnect within 5 s; going on');
    else if (r !== 'done') this.o.logger.warn({ err: r, topic: this.o.topic }, 'tail consumer did not disconnect cleanly');
  }
}
