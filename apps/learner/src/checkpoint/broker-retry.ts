import type { CommitOffset, EventSource, OutputRecord, ResultSink } from '../io/types.js';
import { KafkaAdapterError } from '../kafka/kafka-adapter-error.js';
import type { StructuredLogger } from '../kafka/structured-logger.js';

/** Settings of {@link retryWhileBrokerDown}. */
export interface BrokerRetryOptions {
  /** Give up (rethrow) once the broker has been failing for this long (ms). */
  readonly maxWaitMs: number;
  readonly logger: StructuredLogger;
  /** First pause between attempts (default 250 ms), doubled up to 5 s. */
  readonly initialDelayMs?: number;
}

const RETRIED_CODES = new Set(['send-failed', 'commit-failed', 'connect-failed']);

/**
 * Whether an error of the Kafka sink or source is worth retrying while the broker may come back: a
 * failed send, commit or connect, unless kafkajs marked the broker's answer as final (a record too
 * large, an unknown topic configuration, an authorisation failure …).
 *
 * @example
 * isBrokerOutage(new KafkaAdapterError('send-failed', 'Connection error: connect ECONNREFUSED')) // true
 */
export function isBrokerOutage(e: unknown): boolean {
  if (!(e instanceof KafkaAdapterError) || !RETRIED_CODES.has(e.code)) return false;
  const cause = e.cause as { name?: string; retriable?: boolean } | undefined;
  return !(cause?.name === 'KafkaJSProtocolError' && cause.retriable === false);
}

/**
 * Runs `attempt` until it succeeds, retrying while {@link isBrokerOutage} says the failure is the
 * broker being away (with a pause of 250 ms doubling to 5 s, each failure logged at warn), and
 * rethrowing once it has failed for longer than `maxWaitMs` or with any other error. A retried send
 * may repeat records the broker had already taken before it went away: at-least-once, and the
 * repeated scores and snapshots are identical.
 *
 * @param what - what is attempted, for the log
 * @example
 * await retryWhileBrokerDown(() => sink.send(records), 'sending 1000 records', { maxWaitMs: 300_000, logger });
 */
export async function retryWhileBrokerDown<T>(attempt: () => Promise<T>, what: string, o: BrokerRetryOptions): Promise<T> {
  let since: number | null = null;
  let delay = o.initialDelayMs ?? 250;
  for (let n = 1; ; n++) {
    try {
      const r = await attempt();
      if (since !== null) o.logger.info({ attempts: n, waitedMs: Date.now() - since }, `${what}: succeeded again after the broker came back`);
      return r;
    } catch (e) {
      since ??= Date.now();
      const waited = Date.now() - since;
      if (!isBrokerOutage(e) || waited >= o.maxWaitMs) throw e;
      o.logger.warn({ err: e, attempt: n, waitedMs: waited, maxWaitMs: o.maxWaitMs }, `${what} failed, the broker looks unavailable: retrying in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(5000, delay * 2);
    }
  }
}

/**
 * A sink whose sends are retried while the broker is away (see {@link retryWhileBrokerDown}).
 *
 * @example
 * const sink = retryingSink(createKafkaSink({ kafka }), { maxWaitMs: 300_000, logger });
 */
export function retryingSink(sink: ResultSink, o: BrokerRetryOptions): ResultSink {
  return {
    send: (records: readonly OutputRecord[]) => retryWhileBrokerDown(() => sink.send(records), `sending ${records.length} record(s)`, o),
    close: () => sink.close(),
  };
}

/**
 * The same source with its commits retried while the broker is away.
 *
 * @example
 * const source = retryingCommits(kafkaSource, { maxWaitMs: 300_000, logger });
 */
export function retryingCommits<S extends EventSource>(source: S, o: BrokerRetryOptions): S {
  return {
    ...source,
    commit: (offsets: readonly CommitOffset[]) => retryWhileBrokerDown(() => source.commit(offsets), `committing ${offsets.length} offset(s)`, o),
  };
}
