import { Kafka, Partitioners, logLevel, type LogEntry, type Message, type Producer } from 'kafkajs';
import { csvEvents } from './csv-events.js';
import { encodeEventValue, EVENT_ENCODINGS, type EventEncoding } from './event-value.js';
import type { EventItem } from './produced-event.js';
import { ProducerError } from './producer-error.js';
import { Progress, type ProgressStream } from './progress.js';
import { syntheticEvents, type SyntheticEventsOptions } from './synthetic-events.js';
import { TokenBucket } from './token-bucket.js';

/** Settings of {@link produce}. */
export interface ProduceOptions {
  /** A configured kafkajs client (SASL, TLS...); else a plain one on `brokers`. */
  readonly kafka?: Kafka;
  /** `host:port[,host:port]` (default: `env.KAFKA_BROKERS`). */
  readonly brokers?: string;
  /** Environment for KAFKA_BROKERS (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Target topic (default 'events'). */
  readonly topic?: string;
  /** CSV file with a header and a label column; without it the synthetic stream is produced. */
  readonly input?: string | null;
  /** Label column of the CSV (default 'label'). */
  readonly labelColumn?: string;
  /** Settings of the synthetic stream (when there is no `input`). */
  readonly synthetic?: SyntheticEventsOptions;
  /**
   * Message value format (default 'json', SPEC §2): 'binary' writes the binary event encoding of
   * docs/event-encoding.md, which the learner reads beside JSON, per message.
   */
  readonly encoding?: EventEncoding;
  /** Events to send; null/absent = every CSV row, or endless for the synthetic stream. */
  readonly count?: number | null;
  /** Events per second, 0 = as fast as possible (default 0). */
  readonly rate?: number;
  /** Partitions of the topic when this call creates it (default 1); an existing topic is left alone. */
  readonly partitions?: number;
  /** Events per produce request (default 500; at a set rate, at most 50 ms worth). */
  readonly batchSize?: number;
  /** Produce requests awaiting acknowledgement at once (default 1, which keeps per-partition order; more may reorder on retries). */
  readonly maxInFlight?: number;
  /** Where progress goes (a bar on a terminal, plain lines otherwise); null = none (default). */
  readonly progress?: ProgressStream | null;
  /** Stops producing (what was sent is still acknowledged and summarised). */
  readonly signal?: AbortSignal;
  /** Milliseconds clock (default `performance.now`) and sleep, injectable for tests. */
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What {@link produce} did: printed as one JSON object by `logit produce`. */
export interface ProduceSummary {
  readonly topic: string;
  /** 'csv:FILE' or 'synthetic:sea' / 'synthetic:hyperplane'. */
  readonly source: string;
  /** The message value format: 'json' or 'binary'. */
  readonly encoding: EventEncoding;
  /** Events acknowledged by the broker (acks = all). */
  readonly sent: number;
  /** CSV rows skipped because they do not parse, and the first reasons. */
  readonly skipped: number;
  readonly skipReasons: readonly string[];
  /** Partitions of the topic. */
  readonly partitions: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly eventsPerSecond: number;
  readonly firstId: string | null;
  readonly lastId: string | null;
  /** Why it stopped: 'count' reached, 'input-end' of the CSV, or 'signal'. */
  readonly stoppedBy: 'count' | 'input-end' | 'signal';
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ProducerError('bad-option', `${name} ${v} is not valid: use a whole number >= 1`);
  return v;
}

function brokerList(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') {
    throw new ProducerError('bad-option', 'no Kafka brokers: pass --brokers host:port or set KAFKA_BROKERS (`pnpm kafka:up` starts one on 127.0.0.1:9092)');
  }
  const list = raw.split(',').map((b) => b.trim()).filter((b) => b !== '');
  for (const b of list) {
    if (!/^[A-Za-z0-9.[\]:-]+:\d{1,5}$/.test(b)) throw new ProducerError('bad-option', `broker ${JSON.stringify(b)} is not valid: use host:port, e.g. 127.0.0.1:9092`);
  }
  return list;
}

/** kafkajs's log lines as JSON on stderr (stdout carries the summary). */
function stderrLogCreator() {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp, ...fields } = log;
      const name = level === logLevel.ERROR ? 'error' : level === logLevel.WARN ? 'warn' : level === logLevel.INFO ? 'info' : 'debug';
      process.stderr.write(`${JSON.stringify({ level: name, time: timestamp, kafkajs: namespace, msg: message, ...fields })}\n`);
    };
}

async function ensureTopic(kafka: Kafka, topic: string, partitions: number): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      try {
        await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
      } catch (cause) {
        if (!(await admin.listTopics()).includes(topic)) {
          throw new ProducerError('kafka', `creating topic ${topic} failed: ${(cause as Error).message}`, { cause, retriable: true });
        }
      }
    }
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    return meta.topics[0].partitions.length;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Feeds a Kafka topic with SPEC §2 events from a CSV file (`row-N` ids, dense features) or from the
 * synthetic stream (SEA or rotating hyperplane, drift, label noise, trusted events), as JSON or in the
 * binary event encoding (`encoding`), keyed by event id
 * (so an id always lands on the same partition), through one idempotent producer with acks = all,
 * paced by a token bucket at `rate` events/s with at most `maxInFlight` requests unacknowledged.
 * Creates the topic (with `partitions`) when missing.
 *
 * @param o source, topic, count, rate, batching, progress
 * @returns the summary once every sent event is acknowledged
 * @throws ProducerError 'bad-option' / 'bad-input' / 'kafka'
 * @example
 * const s = await produce({ brokers: '127.0.0.1:9092', topic: 'events', input: '../shared/data/pima_diabetes.csv' });
 * s.sent; // 768
 */
export async function produce(o: ProduceOptions = {}): Promise<ProduceSummary> {
  const topic = o.topic ?? 'events';
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic)) throw new ProducerError('bad-option', `topic ${JSON.stringify(topic)} is not valid: use 1..249 characters of A-Z a-z 0-9 . _ -`);
  const count = o.count ?? null;
  if (count !== null && (!Number.isInteger(count) || count < 0)) throw new ProducerError('bad-option', `count ${count} is not valid: use a whole number >= 0`);
  const encoding = o.encoding ?? 'json';
  if (!EVENT_ENCODINGS.includes(encoding)) throw new ProducerError('bad-option', `encoding ${JSON.stringify(encoding)} is not valid: use one of ${EVENT_ENCODINGS.join(', ')}`);
  const rate = o.rate ?? 0;
  const clock = o.clock ?? (() => performance.now());
  const bucket = new TokenBucket({ rate, clock });
  const batchSize = positiveInt('batch size', o.batchSize ?? 500);
  const perRequest = rate > 0 ? Math.max(1, Math.min(batchSize, Math.ceil(rate / 20))) : batchSize;
  const maxInFlight = positiveInt('max in flight', o.maxInFlight ?? 1);
  const partitionsWanted = positiveInt('partitions', o.partitions ?? 1);
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const input = o.input ?? null;
  const source = input !== null ? `csv:${input}` : `synthetic:${o.synthetic?.generator ?? 'sea'}`;
  // Build the stream first, so bad synthetic settings fail before any connection.
  const items: Iterable<EventItem> | AsyncIterable<EventItem> =
    input !== null ? csvEvents(input, o.labelColumn === undefined ? {} : { labelColumn: o.labelColumn }) : syntheticEvents(o.synthetic ?? {});

  const kafka =
    o.kafka ??
    new Kafka({ clientId: 'logit-producer', brokers: brokerList(o.brokers ?? (o.env ?? process.env).KAFKA_BROKERS), logLevel: logLevel.WARN, logCreator: stderrLogCreator });
  let partitions: number;
  try {
    partitions = await ensureTopic(kafka, topic, partitionsWanted);
  } catch (cause) {
    if (cause instanceof ProducerError) throw cause;
    throw new ProducerError('kafka', `cannot reach Kafka to prepare topic ${topic}: ${(cause as Error).message}; check --brokers / KAFKA_BROKERS and that the broker runs`, { cause, retriable: true });
  }
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();

  const progress = o.progress == null ? null : new Progress({ stream: o.progress, total: count ?? null, label: topic, clock });
  const start = clock();
  let queued = 0;
  let acked = 0;
  let skipped = 0;
  const skipReasons: string[] = [];
  let bytes = 0;
  let firstId: string | null = null;
  let lastId: string | null = null;
  let stoppedBy: ProduceSummary['stoppedBy'] = 'input-end';
  let failure: unknown = null;
  const inFlight = new Set<Promise<void>>();
  let batch: Message[] = [];

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const messages = batch;
    batch = [];
    const wait = bucket.reserve(messages.length);
    if (wait > 0) await sleep(wait);
    // Room first, then send: the next batch is built while the previous one is in flight, and with
    // maxInFlight = 1 (the default: kafkajs's idempotent producer may reorder concurrent sends on
    // retry) the order of events per partition is the order of the stream.
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    if (failure !== null) return;
    const p: Promise<void> = producer.send({ topic, messages, acks: -1 }).then(
      () => {
        acked += messages.length;
        inFlight.delete(p);
        progress?.update(acked);
      },
      (cause: unknown) => {
        inFlight.delete(p);
        failure ??= cause;
      },
    );
    inFlight.add(p);
  };

  try {
    if (count === 0) stoppedBy = 'count';
    else {
      for await (const item of items) {
        if (failure !== null) break;
        if (o.signal?.aborted === true) {
          stoppedBy = 'signal';
          break;
        }
        if (item.skipped !== undefined) {
          skipped++;
          if (skipReasons.length < 5) skipReasons.push(item.skipped);
          continue;
        }
        const value = encodeEventValue(item.event, encoding);
        bytes += Buffer.byteLength(value);
        batch.push({ key: item.event.id, value });
        firstId ??= item.event.id;
        lastId = item.event.id;
        queued++;
        if (batch.length >= perRequest) await flush();
        if (count !== null && queued >= count) {
          stoppedBy = 'count';
          break;
        }
      }
    }
    if (failure === null) await flush();
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
  if (failure !== null) {
    throw new ProducerError('kafka', `producing to ${topic} failed after ${acked} acknowledged events: ${(failure as Error).message}`, { cause: failure, retriable: true });
  }
  if (o.signal?.aborted === true && stoppedBy !== 'count') stoppedBy = 'signal';
  const elapsedMs = clock() - start;
  progress?.done(acked);
  return {
    topic,
    source,
    encoding,
    sent: acked,
    skipped,
    skipReasons,
    partitions,
    bytes,
    elapsedMs: Math.round(elapsedMs),
    eventsPerSecond: elapsedMs > 0 ? Math.round((acked * 1000) / elapsedMs) : 0,
    firstId,
    lastId,
    stoppedBy,
  };
}
