import type { Kafka } from 'kafkajs';
import type { GroupView } from '../http/group-view.js';
import type { StructuredLogger } from './structured-logger.js';
import { TopicTail } from './topic-tail.js';

/** Settings of {@link MetricsTail}. */
export interface MetricsTailOptions {
  readonly kafka: Kafka;
  /** The metrics topic (`--metrics-topic`). */
  readonly topic: string;
  /** The view fed with every report read (it keeps only its own group's). */
  readonly view: GroupView;
  readonly logger: StructuredLogger;
  /** Prefix of the tail's throw-away consumer group id (default `<view.groupId>/metrics-`). */
  readonly groupIdPrefix?: string;
  /**
   * Read the topic from its beginning (default true): the view then knows, right at start, the
   * learners that reported within its limits, stale ones included. Records whose Kafka timestamp is
   * older than the view's `forgetAfterMs` are skipped without being parsed.
   */
  readonly fromBeginning?: boolean;
  /** Wall clock (default Date.now). */
  readonly now?: () => number;
}

/**
 * Feeds a {@link GroupView} from the metrics topic: a {@link TopicTail} (a kafkajs consumer with a
 * random group id that never commits, so it never takes partitions from the learners) hands it
 * every report of every learner; each is parsed and given to the view. A record that is not JSON is
 * counted (`unreadable`) and logged once, never thrown.
 *
 * @example
 * const view = new GroupView({ groupId: cfg.groupId, staleAfterMs: 3 * cfg.metricsIntervalMs });
 * const tail = new MetricsTail({ kafka, topic: cfg.topics.metrics, view, logger: log });
 * tail.start().catch((e) => log.warn({ err: e }, 'group view unavailable'));
 * // … at shutdown
 * await tail.stop();
 */
export class MetricsTail {
  /** Records read. */
  received = 0;
  /** Records that were not a JSON value. */
  unreadable = 0;
  /** Records skipped unparsed as older than the view's forget limit. */
  skippedOld = 0;
  private readonly tail: TopicTail;
  private readonly now: () => number;

  constructor(private readonly o: MetricsTailOptions) {
    this.now = o.now ?? Date.now;
    this.tail = new TopicTail({
      kafka: o.kafka,
      topic: o.topic,
      logger: o.logger,
      groupIdPrefix: o.groupIdPrefix ?? `${o.view.groupId}/metrics-`,
      fromBeginning: o.fromBeginning ?? true,
      // Reports are a few KB: no need for the snapshot-sized default fetch.
      maxBytesPerPartition: 1024 * 1024,
      onRecord: (_partition, m) => this.accept(m.value, Number(m.timestamp)),
    });
  }

  /** Whether the tail has read the topic up to its end offsets of the start. */
  get caughtUp(): boolean {
    return this.tail.caughtUp;
  }

  /**
   * Starts following the metrics topic; resolves once what was in it at the start is read.
   *
   * @param timeoutMs - the bound of that catch-up (default 60 000 ms); past it, rejects (retriable) and the tail is stopped
   */
  start(timeoutMs?: number): Promise<void> {
    return this.tail.start(timeoutMs);
  }

  /** Stops following (idempotent). */
  stop(): Promise<void> {
    return this.tail.stop();
  }

  /**
   * Takes one record of the metrics topic (what the tail calls for every record).
   *
   * @param value - the record's value (a JSON metrics report)
   * @param timestampMs - its Kafka timestamp (NaN when unknown: always parsed)
   * @returns whether the view took it as a learner's newest report
   */
  accept(value: Buffer | null, timestampMs = Number.NaN): boolean {
    this.received++;
    if (value === null) return this.unread(null);
    if (this.now() - timestampMs > this.o.view.forgetAfterMs) {
      this.skippedOld++;
      return false;
    }
    let report: unknown;
    try {
      report = JSON.parse(value.toString('utf8'));
    } catch (e) {
      return this.unread(e);
    }
    return this.o.view.add(report);
  }

  private unread(e: unknown): false {
    if (this.unreadable++ === 0) this.o.logger.warn({ err: e, topic: this.o.topic }, 'a record of the metrics topic is not a JSON report; passed over (logged once)');
    return false;
  }
}
