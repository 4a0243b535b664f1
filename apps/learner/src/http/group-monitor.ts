import type { Kafka } from 'kafkajs';
import { MetricsTail } from '../kafka/metrics-tail.js';
import type { StructuredLogger } from '../kafka/structured-logger.js';
import type { PublishedMetrics } from '../pipeline/batch-processor.js';
import { GroupView, type GroupViewJson } from './group-view.js';

/** Settings of {@link startGroupMonitor}. */
export interface GroupMonitorOptions {
  /** The Kafka client, or null (embedded mode: the view holds this learner alone). */
  readonly kafka: Kafka | null;
  /** The run's group id (`--group-id`). */
  readonly groupId: string;
  /** The metrics topic (`--metrics-topic`). */
  readonly topic: string;
  /** A learner silent for longer than this is stale (give 3 × `--metrics-interval-ms`). */
  readonly staleAfterMs: number;
  readonly logger: StructuredLogger;
  /** This learner's last report (added on every read, so it shows before its own record comes back from the topic). */
  readonly ownReport: () => PublishedMetrics | null;
  /** Wall clock (default Date.now). */
  readonly now?: () => number;
  /** Bound of the tail's catch-up on the topic (default 60 000 ms). */
  readonly catchUpTimeoutMs?: number;
}

/** A running group monitor: the view, what `/live.json` serves, and how to stop it. */
export interface GroupMonitor {
  readonly view: GroupView;
  /** The tail on the metrics topic, or null without Kafka. */
  readonly tail: MetricsTail | null;
  /** Resolves once the tail has read the topic to its end offsets of the start (at once without Kafka); never rejects (a failure is logged). */
  readonly ready: Promise<void>;
  /** This learner's report added, then the view: pass it as `startMetricsServer({ group })`. */
  json(): GroupViewJson;
  /** Stops the tail (idempotent; does not wait for a catch-up in progress, which stops the tail when it settles). */
  stop(): Promise<void>;
}

/**
 * The metrics side of scale-out in one call: a {@link GroupView} of the run's group, fed from the
 * metrics topic by a {@link MetricsTail} when there is a Kafka client (started in the background: a
 * broker or topic problem is logged as a warning and leaves the view with this learner alone; the
 * learner itself never waits for it), and with this learner's own last report on every read.
 *
 * @example
 * const groupMonitor = startGroupMonitor({ kafka, groupId: cfg.groupId, topic: cfg.topics.metrics,
 *   staleAfterMs: 3 * cfg.metricsIntervalMs, logger: log, now, ownReport: () => processor.lastReport });
 * await startMetricsServer({ ...cfg.http, learnerId, report, health, group: () => groupMonitor.json() });
 * // … at shutdown
 * await groupMonitor.stop();
 */
export function startGroupMonitor(o: GroupMonitorOptions): GroupMonitor {
  const view = new GroupView({ groupId: o.groupId, staleAfterMs: o.staleAfterMs, now: o.now });
  const tail = o.kafka === null ? null : new MetricsTail({ kafka: o.kafka, topic: o.topic, view, logger: o.logger, now: o.now });
  // A stop during the start (shutdown while the topic is being read) stops the tail once the start
  // settles, so that no consumer is left behind; its failure is then not worth a warning.
  let stopped = false;
  const ready =
    tail === null
      ? Promise.resolve()
      : tail
          .start(o.catchUpTimeoutMs)
          .then(
            () => o.logger.info({ topic: o.topic, groupId: o.groupId, learners: view.size, records: tail.received }, 'group view: metrics topic read'),
            (e: unknown) => {
              if (stopped) return;
              o.logger.warn(
                { err: e, topic: o.topic, groupId: o.groupId },
                `group view: cannot follow the metrics topic (${(e as Error).message}); the live page shows this learner only`,
              );
            },
          )
          .then(() => (stopped ? tail.stop() : undefined));
  return {
    view,
    tail,
    ready,
    json: () => {
      const own = o.ownReport();
      if (own !== null) view.add(own);
      return view.toJSON();
    },
    stop: async () => {
      stopped = true;
      await tail?.stop();
    },
  };
}
