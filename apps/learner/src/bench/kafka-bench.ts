/**
 * End-to-end Kafka benchmark of the learner (SPEC §5: learner throughput ≥ 80% of a bare kafkajs
 * consumer on the same topic, p99 event-to-score latency, flat memory), in ONE run on the project's
 * broker. Prints one JSON object on stdout (progress on stderr).
 *
 *   bash infra/kafka/kafka.sh with-test-broker -- node apps/learner/dist/bench/kafka-bench.js [options]
 *
 * Options: --events N (burst size, default 1 000 000), --partitions P (of the burst topic, default 1),
 * --rate R (offered load of the latency phase, events/s, default 5000), --latency-seconds S (default 20),
 * --idle-seconds S (the learner's --exit-on-idle, default 4), --cpu-prof DIR (profile the learner of
 * phase b with node --cpu-prof into DIR and summarise it), --brokers LIST (default $KAFKA_BROKERS),
 * --clients LIST (the producer clients of phases a2 and b, each measured in turn: default
 * kafkajs,platformatic; the learner's is set by KAFKA_PRODUCER_CLIENT), --encoding json|binary (the
 * events of every phase: SPEC §2 JSON, or docs/event-encoding.md's binary form of the same events),
 * --consumer kafkajs|lean (the learner's consumer client, KAFKA_CONSUMER_CLIENT), --skip-latency,
 * --quick (50 000 events, 5 s of latency: well under a minute).
 *
 * Long run (memory, SPEC §5 "flat from 1 M to 10 M events"): --long N (e.g. 10000000) produces N
 * events and runs only phase (b), with the first client of --clients, reporting the learner's VmRSS
 * at every million events. The topics are deleted afterwards; nothing is written to the repository.
 *
 * Phases: produce a burst of N SPEC §2 events (20 named features) to a fresh topic; (a) a bare kafkajs
 * consumer (eachBatch, the learner source's fetch settings) reads it all; (a2) the learner's Kafka I/O
 * alone (consume, produce one score-sized record per event like the learner's sink, commit); (b) `logit run` (the built
 * CLI, a child process), each run right after a bare consumer run of its own (the paired ratio, `pairs`),
 * consumes the same topic from the start in its own group, while its VmRSS,
 * VmHWM, CPU time and committed offset are sampled; (c) a fresh topic gets a paced load with each
 * event's `ts` = its produce time while the learner runs, and a reader of the scores topic measures
 * score arrival − ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Producer as PlatformaticProducer, stringSerializers } from '@platformatic/kafka';
import { Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import { createKafkaClient, createKafkaSink, ensureTopics, resolveKafkaConfig } from '../kafka/index.js';
import { KAFKA_CONSUMER_CLIENTS, KAFKA_PRODUCER_CLIENTS, type KafkaConsumerClient, type KafkaProducerClient } from '../kafka/kafka-config.js';
import type { OutputRecord } from '../io/types.js';
import { BenchEventFactory } from './bench-event-factory.js';
import { summarizeCpuProfile, type CpuProfile, type CpuProfileSummary } from './cpu-profile-summary.js';
import { summarizeLatencies, type LatencySummary } from './latency-summary.js';
import { readProcCpuSeconds } from './proc-cpu.js';
import { readProcMemory } from './proc-status.js';
import { nodeMemoryOfMetrics, type NodeMemoryMetrics } from './node-memory-metrics.js';
import { LEARNER_NODE_FLAGS } from '../node-flags.js';
import { memoryTrend } from './memory-trend.js';

const here = dirname(fileURLToPath(import.meta.url));
const cliPath = resolve(here, '../cli.js');
/** The repository root: the nearest folder above this file (else the working directory) with pnpm-workspace.yaml. */
function findRepoRoot(): string | null {
  for (const start of [here, process.cwd()]) {
    for (let d = start; d !== dirname(d); d = dirname(d)) if (existsSync(join(d, 'pnpm-workspace.yaml'))) return d;
  }
  return null;
}
const MiB = 1024 * 1024;

/**
 * The broker's CPU seconds so far, when `kafka.sh with-test-broker` named its pid (KAFKA_BROKER_PID),
 * else null: the broker shares the machine's cores with the clients, so each phase reports its share.
 */
function brokerCpuSeconds(): number | null {
  const pid = Number(process.env.KAFKA_BROKER_PID);
  return Number.isInteger(pid) && pid > 0 ? readProcCpuSeconds(pid) : null;
}

/** The broker's CPU between two readings as a percentage of one core over `seconds`, or null. */
function brokerPercent(from: number | null, to: number | null, seconds: number): number | null {
  return from === null || to === null || !(seconds > 0) ? null : round((100 * (to - from)) / seconds);
}

interface BenchArgs {
  events: number;
  partitions: number;
  rate: number;
  latencySeconds: number;
  idleSeconds: number;
  cpuProf: string | null;
  brokers: string;
  quick: boolean;
  clients: KafkaProducerClient[];
  skipLatency: boolean;
  long: number | null;
  encoding: EventEncoding;
  /** The learner's consumer client in phase (b) (KAFKA_CONSUMER_CLIENT of the child). */
  consumer: KafkaConsumerClient;
  /** The node flags of the learner child (--learner-node-flags; default LEARNER_NODE_FLAGS). */
  learnerNodeFlags: readonly string[];
  /** --events-topic: a kept burst topic (produced once, reused while it holds exactly the run's events), else null. */
  eventsTopic: string | null;
}

/** How the bench encodes its events: SPEC §2 JSON, or the binary encoding of docs/event-encoding.md. */
type EventEncoding = 'json' | 'binary';

/** One bench event in the run's encoding (a string for JSON, bytes for binary). */
function benchEvent(f: BenchEventFactory, encoding: EventEncoding, id: string, ts: number): string | Buffer {
  return encoding === 'binary' ? f.nextBinary(id, ts) : f.next(id, ts);
}

class BenchError extends Error {
  override name = 'BenchError';
}

function log(msg: string): void {
  process.stderr.write(`kafka-bench: ${msg}\n`);
}

function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string' },
      partitions: { type: 'string' },
      rate: { type: 'string' },
      'latency-seconds': { type: 'string' },
      'idle-seconds': { type: 'string' },
      'cpu-prof': { type: 'string' },
      brokers: { type: 'string' },
      quick: { type: 'boolean', default: false },
      clients: { type: 'string' },
      'skip-latency': { type: 'boolean', default: false },
      long: { type: 'string' },
      encoding: { type: 'string' },
      consumer: { type: 'string' },
      'learner-node-flags': { type: 'string' },
      'events-topic': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const quick = values.quick === true;
  const clients = (values.clients ?? 'kafkajs,platformatic').split(',').map((c) => c.trim()) as KafkaProducerClient[];
  for (const c of clients) if (!(KAFKA_PRODUCER_CLIENTS as readonly string[]).includes(c)) throw new BenchError(`--clients ${JSON.stringify(values.clients)}: use a comma list of ${KAFKA_PRODUCER_CLIENTS.join(', ')}`);
  const num = (name: string, raw: string | undefined, dflt: number, min: number): number => {
    if (raw === undefined) return dflt;
    const v = Number(raw.replace(/_/g, ''));
    if (!Number.isFinite(v) || v < min) throw new BenchError(`--${name} ${JSON.stringify(raw)} must be a number >= ${min}`);
    return v;
  };
  const encoding = values.encoding ?? 'json';
  if (encoding !== 'json' && encoding !== 'binary') throw new BenchError(`--encoding ${JSON.stringify(encoding)}: use json or binary`);
  const consumer = (values.consumer ?? 'kafkajs').trim() as KafkaConsumerClient;
  if (!(KAFKA_CONSUMER_CLIENTS as readonly string[]).includes(consumer)) throw new BenchError(`--consumer ${JSON.stringify(values.consumer)}: use one of ${KAFKA_CONSUMER_CLIENTS.join(', ')}`);
  const brokers = values.brokers ?? process.env.KAFKA_BROKERS ?? '';
  if (brokers.trim() === '') {
    throw new BenchError(
      'no broker: run it through `bash infra/kafka/kafka.sh with-test-broker -- node apps/learner/dist/bench/kafka-bench.js` (a fresh broker on 127.0.0.1:19092), or set KAFKA_BROKERS / pass --brokers',
    );
  }
  return {
    events: Math.floor(num('events', values.events, quick ? 50_000 : 1_000_000, 1000)),
    partitions: Math.floor(num('partitions', values.partitions, 1, 1)),
    rate: num('rate', values.rate, 5000, 1),
    latencySeconds: num('latency-seconds', values['latency-seconds'], quick ? 5 : 20, 1),
    idleSeconds: num('idle-seconds', values['idle-seconds'], 4, 1),
    cpuProf: values['cpu-prof'] ?? null,
    brokers,
    quick,
    clients,
    skipLatency: values['skip-latency'] === true,
    long: values.long === undefined ? null : Math.floor(num('long', values.long, 0, 1_000_000)),
    encoding,
    consumer,
    eventsTopic: values['events-topic'] ?? null,
    learnerNodeFlags: values['learner-node-flags'] === undefined ? LEARNER_NODE_FLAGS : values['learner-node-flags'].split(/\s+/).filter((f) => f !== ''),
  };
}

const HELP = `kafka-bench: the learner on Kafka against a bare kafkajs consumer on the same topic, in one run (SPEC §5).
  node apps/learner/dist/bench/kafka-bench.js [options]      (KAFKA_BROKERS or --brokers: a running broker)
Options:
  --events N            burst size (default 1000000; --quick 50000)
  --partitions P        partitions of the burst topic (default 1)
  --clients LIST        producer clients measured in phases a2 and b, in turn (default kafkajs,platformatic)
  --encoding E          json (SPEC §2, default) or binary (docs/event-encoding.md) events, in every phase
  --consumer C          the learner's consumer client in phase b: kafkajs (default) or lean (KAFKA_CONSUMER_CLIENT)
  --rate R              offered load of the latency phase, events/s (default 5000)
  --latency-seconds S   length of the latency phase (default 20; --quick 5)
  --skip-latency        no latency phase
  --idle-seconds S      the learner's --exit-on-idle (default 4)
  --cpu-prof DIR        profile each learner of phase b (node --cpu-prof) and summarise it
  --long N              memory run only: N events (e.g. 10000000), RSS of the learner at every million
                        (with RssAnon/RssFile, V8 heap committed/in use, external memory)
  --learner-node-flags=F  the learner's node flags, space-separated, instead of ${LEARNER_NODE_FLAGS.join(' ')}
                        (with '=': e.g. --learner-node-flags=--max-semi-space-size=16; '' for none);
                        MALLOC_* variables pass through to the learner
  --events-topic NAME   the burst topic by this name, kept afterwards: produced when it is empty or
                        missing, reused as it is when it holds exactly the run's N events, refused
                        when it holds any other number (repeated
                        --long runs on one broker: KAFKA_BROKERS of a broker started with kafka.sh up)
  --brokers LIST        default $KAFKA_BROKERS
  --quick               a smoke run, well under a minute`;

const unique = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Resolves like `p`, or rejects naming `what` after `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchError(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

/** The machine, runtime and broker the figures come from. */
function machineInfo(): Record<string, unknown> {
  const c = cpus();
  let kafkajs = 'unknown';
  try {
    const req = createRequire(import.meta.url);
    kafkajs = (JSON.parse(readFileSync(req.resolve('kafkajs/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    /* unknown */
  }
  let broker = 'unknown';
  try {
    const root = findRepoRoot();
    const jar = root === null ? undefined : readdirSync(join(root, 'infra/kafka/.kafka/lib')).find((f) => /^kafka_2\.13-.*\.jar$/.test(f));
    if (jar !== undefined) broker = `Apache Kafka ${jar.replace(/^kafka_2\.13-|\.jar$/g, '')} (infra/kafka, single node, KRaft)`;
  } catch {
    /* not the project's broker */
  }
  return {
    cpuModel: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: round(totalmem() / 1024 ** 3),
    loadAverage1mAtEnd: round(loadavg()[0], 2),
    os: `${process.platform} ${release()}`,
    node: process.version,
    kafkajs,
    broker,
  };
}

/** Sum over partitions of the group's committed offsets on `topic` (0 where none yet). */
async function committed(admin: Admin, groupId: string, topic: string): Promise<number> {
  const r = await admin.fetchOffsets({ groupId, topics: [topic] });
  let sum = 0;
  for (const t of r) for (const p of t.partitions) sum += Math.max(0, Number(p.offset));
  return sum;
}

/** Messages in `topic` (sum of high − low watermarks). */
async function topicCount(admin: Admin, topic: string): Promise<number> {
  const o = await admin.fetchTopicOffsets(topic);
  return o.reduce((s, p) => s + Number(p.high) - Number(p.low), 0);
}

/** Producer sends with a bounded number in flight; the first failure is rethrown by `wait`/`drain`. */
class SendPool {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown = null;

  constructor(
    private readonly producer: Producer,
    private readonly max: number,
  ) {}

  /** Sends `messages` to `topic` (acks = leader) and returns once fewer than `max` sends are in flight. */
  async send(topic: string, messages: { key: string; value: string | Buffer }[]): Promise<void> {
    this.check();
    const p: Promise<void> = this.producer
      .send({ topic, messages, acks: 1 })
      .then(
        () => {},
        (e: unknown) => {
          this.failure ??= e;
        },
      )
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    if (this.inFlight.size >= this.max) await Promise.race(this.inFlight);
    this.check();
  }

  /** Waits for every send in flight. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    this.check();
  }

  private check(): void {
    if (this.failure !== null) throw new BenchError(`producing failed: ${(this.failure as Error)?.message ?? String(this.failure)}`);
  }
}

/** Produces `n` bench events to `topic` with up to 8 sends in flight; returns the bytes sent. */
async function produceBurst(producer: Producer, topic: string, n: number, prefix: string, seed: number, encoding: EventEncoding): Promise<number> {
  const f = new BenchEventFactory({ seed });
  const chunk = 2000; // ~0.7 MB per request: under the broker's 1 MiB message.max.bytes per record batch
  const pool = new SendPool(producer, 8);
  let bytes = 0;
  for (let start = 0; start < n; start += chunk) {
    const messages = [];
    const ts = Date.now();
    for (let i = start; i < Math.min(n, start + chunk); i++) {
      const id = `${prefix}${i}`;
      const value = benchEvent(f, encoding, id, ts);
      bytes += value.length;
      messages.push({ key: id, value });
    }
    await pool.send(topic, messages);
  }
  await pool.drain();
  return bytes;
}

/**
 * Produces the `n` bench events of a burst with a @platformatic/kafka producer (acks = leader, up to 8
 * requests of 2000 events in flight): about 3× kafkajs's rate here, which matters for the 10 M-event
 * memory run. The order of the requests is not kept (the bench does not depend on it).
 */
async function produceBurstFast(brokers: string, topic: string, n: number, prefix: string, seed: number, encoding: EventEncoding): Promise<number> {
  const toBuffer = (v?: string | Buffer): Buffer | undefined => (v === undefined ? undefined : typeof v === 'string' ? Buffer.from(v) : v);
  const producer = new PlatformaticProducer<string, string | Buffer, string, string>({
    clientId: 'kafka-bench-burst',
    bootstrapBrokers: brokers.split(','),
    acks: 1,
    serializers: { ...stringSerializers, value: toBuffer },
    autocreateTopics: false,
  });
  const f = new BenchEventFactory({ seed });
  const chunk = 2000;
  const inFlight = new Set<Promise<unknown>>();
  let failure: unknown = null;
  let bytes = 0;
  try {
    for (let start = 0; start < n && failure === null; start += chunk) {
      const messages = [];
      const ts = Date.now();
      for (let i = start; i < Math.min(n, start + chunk); i++) {
        const id = `${prefix}${i}`;
        const value = benchEvent(f, encoding, id, ts);
        bytes += value.length;
        messages.push({ topic, key: id, value });
      }
      const p: Promise<unknown> = producer
        .send({ messages })
        .catch((e: unknown) => {
          failure ??= e;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= 8) await Promise.race(inFlight);
      if (start % 1_000_000 === 0 && start > 0) log(`  produced ${start}`);
    }
    await Promise.all(inFlight);
  } finally {
    await producer.close();
  }
  if (failure !== null) throw new BenchError(`producing the burst failed: ${(failure as Error)?.message ?? String(failure)}`);
  return bytes;
}

/** Phase (a): a bare kafkajs consumer with the learner source's fetch settings reads `n` messages. */
/** What phases (a) and (a2) measure: events/s, seconds, the bench process's CPU and the broker's (null when unknown). */
interface PhaseRate {
  readonly eventsPerSec: number;
  readonly seconds: number;
  readonly cpuPercentOfOneCore: number;
  readonly brokerCpuPercentOfOneCore: number | null;
  readonly [extra: string]: number | null;
}

async function bareConsume(kafka: Kafka, topic: string, n: number, skip: number): Promise<PhaseRate> {
  const consumer = kafka.consumer({
    groupId: unique('bench-bare'),
    sessionTimeout: 30000,
    heartbeatInterval: 3000,
    maxBytesPerPartition: 1_048_576,
    maxBytes: 10_485_760,
    maxWaitTimeInMs: 500,
    readUncommitted: false,
    allowAutoTopicCreation: false,
  });
  let count = 0;
  let bytes = 0;
  let tSkip = 0;
  let cSkip = 0;
  let tEnd = 0;
  let cpuSkip = process.cpuUsage();
  let brokerSkip: number | null = null;
  let brokerEnd: number | null = null;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const t0 = performance.now();
    await consumer.run({
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch }) => {
        const ms = batch.messages;
        for (let i = 0; i < ms.length; i++) bytes += ms[i].value?.length ?? 0;
        count += ms.length;
        const now = performance.now();
        if (cSkip === 0 && count >= skip) {
          cSkip = count;
          tSkip = now;
          cpuSkip = process.cpuUsage();
          brokerSkip = brokerCpuSeconds();
        }
        if (count >= n && tEnd === 0) {
          tEnd = now;
          brokerEnd = brokerCpuSeconds();
          resolveDone();
        }
      },
    });
    await within(done, 60_000 + n / 2, `the bare consumer to read ${n} messages (read ${count})`);
    const cpu = process.cpuUsage(cpuSkip);
    const seconds = (tEnd - tSkip) / 1000;
    return {
      eventsPerSec: Math.round((n - cSkip) / seconds),
      seconds: round(seconds, 2),
      secondsFromSubscribe: round((tEnd - t0) / 1000, 2),
      mbPerSec: round(bytes / MiB / ((tEnd - t0) / 1000)),
      cpuPercentOfOneCore: round((100 * (cpu.user + cpu.system)) / 1e6 / seconds),
      brokerCpuPercentOfOneCore: brokerPercent(brokerSkip, brokerEnd, seconds),
    };
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Phase (a2): the learner's Kafka I/O without the learner: the same consumer settings, slices of 1000
 * messages, one score-sized record per message sent through the learner's own sink (createKafkaSink
 * with `client`: idempotent, acks = all) and awaited, then the slice's offset committed, as the
 * learner's source and pipeline do. What it costs is the ceiling the Kafka clients set for the learner.
 */
async function bareConsumeProduce(kafka: Kafka, admin: Admin, topic: string, n: number, skip: number, client: KafkaProducerClient): Promise<PhaseRate> {
  const out = unique('bench-pipe-scores');
  await ensureTopics(admin, { topics: [out], partitions: 1 });
  const consumer = kafka.consumer({
    groupId: unique('bench-pipe'),
    sessionTimeout: 30000,
    heartbeatInterval: 3000,
    maxBytesPerPartition: 1_048_576,
    maxBytes: 10_485_760,
    maxWaitTimeInMs: 500,
    readUncommitted: false,
    allowAutoTopicCreation: false,
  });
  const producer = createKafkaSink({ kafka, client });
  let count = 0;
  let tSkip = 0;
  let cSkip = 0;
  let tEnd = 0;
  let cpuSkip = process.cpuUsage();
  let brokerSkip: number | null = null;
  let brokerEnd: number | null = null;
  let failure: unknown = null;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  await producer.connect();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        const ms = batch.messages;
        try {
          for (let start = 0; start < ms.length; start += 1000) {
            const end = Math.min(ms.length, start + 1000);
            const messages = new Array<OutputRecord>(end - start);
            for (let i = start; i < end; i++) {
              const key = ms[i].key;
              messages[i - start] = {
                topic: out,
                key,
                value: `{"id":"${key?.toString('utf8') ?? ''}","ts":1732300000000,"z":0.12345678901234,"p":0.530823975,"pCalibrated":0.530823975,"modelVersion":123456,"label":1}`,
              };
            }
            await producer.send(messages);
            const next = String(Number(ms[end - 1].offset) + 1);
            await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
            resolveOffset(ms[end - 1].offset);
            await heartbeat();
            count += end - start;
            const now = performance.now();
            if (cSkip === 0 && count >= skip) {
              cSkip = count;
              tSkip = now;
              cpuSkip = process.cpuUsage();
              brokerSkip = brokerCpuSeconds();
            }
            if (count >= n && tEnd === 0) {
              tEnd = now;
              brokerEnd = brokerCpuSeconds();
              resolveDone();
            }
          }
        } catch (e) {
          failure ??= e;
          resolveDone();
        }
      },
    });
    await within(done, 60_000 + n, `the consume→produce pipe to handle ${n} messages (handled ${count})`);
    if (failure !== null) throw new BenchError(`the consume→produce pipe failed: ${(failure as Error)?.message ?? String(failure)}`);
    const cpu = process.cpuUsage(cpuSkip);
    const seconds = (tEnd - tSkip) / 1000;
    return {
      eventsPerSec: Math.round((n - cSkip) / seconds),
      seconds: round(seconds, 2),
      cpuPercentOfOneCore: round((100 * (cpu.user + cpu.system)) / 1e6 / seconds),
      brokerCpuPercentOfOneCore: brokerPercent(brokerSkip, brokerEnd, seconds),
    };
  } finally {
    await consumer.disconnect();
    await producer.close();
    await admin.deleteTopics({ topics: [out] }).catch(() => {});
  }
}

interface Child {
  proc: ChildProcess;
  exited: Promise<{ code: number | null; signal: string | null }>;
  stderrTail: () => string;
}

/** Spawns the built `logit run` on Kafka with the given topics and group. */
function spawnLearner(
  a: BenchArgs,
  t: { events: string; scores: string; metrics: string; dlq: string; snapshots: string },
  groupId: string,
  metricsEvery: number,
  profDir: string | null,
  client: KafkaProducerClient,
  httpPort: number | null = null,
): Child {
  const nodeArgs = [...a.learnerNodeFlags, ...(profDir === null ? [] : ['--cpu-prof', `--cpu-prof-dir=${profDir}`])];
  const args = [
    ...nodeArgs,
    cliPath,
    'run',
    '--brokers', a.brokers,
    '--events-topic', t.events,
    '--scores-topic', t.scores,
    '--metrics-topic', t.metrics,
    '--dlq-topic', t.dlq,
    '--snapshots-topic', t.snapshots,
    '--group-id', groupId,
    '--exit-on-idle', String(a.idleSeconds),
    '--metrics-every', String(metricsEvery),
    '--log-level', 'warn',
    ...(httpPort === null ? [] : ['--http-host', '127.0.0.1', '--http-port', String(httpPort)]),
  ];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KAFKA_PRODUCER_CLIENT: client, KAFKA_CONSUMER_CLIENT: a.consumer } });
  let tail = '';
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => {
    tail = (tail + s).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((r, reject) => {
    proc.on('exit', (code, signal) => r({ code, signal }));
    proc.on('error', reject);
  });
  return { proc, exited, stderrTail: () => tail };
}

/** A TCP port free on 127.0.0.1 right now. */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** The learner's Node.js memory figures (V8 heap committed and in use, external, heap spaces) from its /metrics, or null when it does not answer. */
async function scrapeNodeMemory(port: number): Promise<NodeMemoryMetrics | null> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2000) });
    return nodeMemoryOfMetrics(await r.text());
  } catch {
    return null;
  }
}

/** Topic names of one learner run. */
function learnerTopics(prefix: string): { events: string; scores: string; metrics: string; dlq: string; snapshots: string } {
  return {
    events: unique(`${prefix}-events`),
    scores: unique(`${prefix}-scores`),
    metrics: unique(`${prefix}-metrics`),
    dlq: unique(`${prefix}-dlq`),
    snapshots: unique(`${prefix}-snapshots`),
  };
}

/** Reads every message of a small topic (the metrics reports) from the start. */
async function readSmallTopic(kafka: Kafka, admin: Admin, topic: string): Promise<string[]> {
  const n = await topicCount(admin, topic);
  const out: string[] = [];
  if (n === 0) return out;
  const consumer = kafka.consumer({ groupId: unique('bench-reader'), maxWaitTimeInMs: 100 });
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) out.push(m.value?.toString('utf8') ?? '');
        if (out.length >= n) resolveDone();
      },
    });
    await within(done, 60_000, `${n} messages of ${topic}`);
  } finally {
    await consumer.disconnect();
  }
  return out;
}

interface Sample {
  t: number;
  committed: number;
  rss: number;
  hwm: number;
  cpu: number;
  /** The broker's CPU seconds so far (null when its pid is unknown). */
  brokerCpu: number | null;
  /** 1-minute load average of the machine. */
  load: number;
  /** The anonymous part of the learner's RSS (RssAnon: V8 heap, malloc, Buffers), null if unknown. */
  rssAnon: number | null;
  /** The file-backed part of the learner's RSS (RssFile: the node binary, libraries), null if unknown. */
  rssFile: number | null;
  /** The learner's Node.js memory at the last scrape of its /metrics (long run only), else null. */
  node: NodeMemoryMetrics | null;
}

/** The learner's memory when its committed offset first reached `events` (MiB; null: not sampled). */
interface MemoryAtMillion {
  events: number;
  rssMiB: number | null;
  /** The highest RSS sampled while the committed offset was within this million (null: none sampled, e.g. no commit in it). */
  rssMaxInMillionMiB: number | null;
  rssAnonMiB: number | null;
  rssFileMiB: number | null;
  heapTotalMiB: number | null;
  heapUsedMiB: number | null;
  externalMiB: number | null;
  newSpaceMiB: number | null;
  oldSpaceMiB: number | null;
  codeSpaceMiB: number | null;
  largeObjectSpaceMiB: number | null;
  load1m: number | null;
}

/** Per memory figure of the long run: its value at the first and the last million and the change (MiB). */
function memoryGrowth(perMillion: readonly MemoryAtMillion[]): Record<string, { firstMiB: number; lastMiB: number; changeMiB: number } | null> {
  const keys = ['rssMiB', 'rssMaxInMillionMiB', 'rssAnonMiB', 'rssFileMiB', 'heapTotalMiB', 'heapUsedMiB', 'externalMiB', 'newSpaceMiB', 'oldSpaceMiB', 'codeSpaceMiB', 'largeObjectSpaceMiB'] as const;
  const out: Record<string, { firstMiB: number; lastMiB: number; changeMiB: number } | null> = {};
  for (const k of keys) {
    const first = perMillion[0]?.[k] ?? null;
    const last = perMillion[perMillion.length - 1]?.[k] ?? null;
    out[k.replace(/MiB$/, '')] = first === null || last === null ? null : { firstMiB: first, lastMiB: last, changeMiB: round(last - first) };
  }
  return out;
}

/** Phase (b): the learner consumes the burst topic from the start; throughput, memory, CPU. */
async function learnerConsume(
  kafka: Kafka,
  admin: Admin,
  a: BenchArgs,
  t: ReturnType<typeof learnerTopics>,
  n: number,
  metricsEvery: number,
  client: KafkaProducerClient,
): Promise<{ result: Record<string, unknown>; profile: CpuProfileSummary | null }> {
  const groupId = unique('bench-learner');
  // The long run also scrapes the learner's V8 heap and external memory (its /metrics) to tell where RSS grows.
  const httpPort = a.long !== null ? await freePort() : null;
  const child = spawnLearner(a, t, groupId, metricsEvery, a.cpuProf, client, httpPort);
  let lastHeapAt = 0;
  let node: NodeMemoryMetrics | null = null;
  const pid = child.proc.pid!;
  const t0 = performance.now();
  const samples: Sample[] = [];
  let exit: { code: number | null; signal: string | null } | null = null;
  void child.exited.then((e) => (exit = e));
  const deadline = t0 + 60_000 + n; // a generous bound: 1 ms per event + a minute
  let lastHwm = 0;
  while (exit === null) {
    if (performance.now() > deadline) {
      child.proc.kill('SIGKILL');
      throw new BenchError(`the learner did not finish ${n} events within ${Math.round((deadline - t0) / 1000)} s (killed); stderr: ${child.stderrTail()}`);
    }
    const mem = readProcMemory(pid);
    const cpu = readProcCpuSeconds(pid);
    if (mem !== null && cpu !== null) {
      lastHwm = mem.hwmBytes;
      let c = 0;
      try {
        c = await committed(admin, groupId, t.events);
      } catch {
        c = samples.length > 0 ? samples[samples.length - 1].committed : 0;
      }
      if (httpPort !== null && performance.now() - lastHeapAt >= 1000) {
        lastHeapAt = performance.now();
        node = await scrapeNodeMemory(httpPort);
      }
      samples.push({
        t: performance.now(),
        committed: c,
        rss: mem.rssBytes,
        hwm: mem.hwmBytes,
        cpu,
        brokerCpu: brokerCpuSeconds(),
        load: round(loadavg()[0], 2),
        rssAnon: mem.rssAnonBytes,
        rssFile: mem.rssFileBytes,
        node,
      });
    }
    await Promise.race([sleep(200), child.exited]);
  }
  const wall = (performance.now() - t0) / 1000;
  const e = exit as { code: number | null; signal: string | null };
  if (e.code !== 0) throw new BenchError(`logit run exited with ${e.code} (signal ${e.signal}); stderr: ${child.stderrTail()}`);
  const scores = await topicCount(admin, t.scores);
  if (scores < n) {
    throw new BenchError(`logit run stopped after scoring ${scores} of ${n} events (raise --idle-seconds if it stopped before the group join finished); stderr: ${child.stderrTail()}`);
  }

  // Throughput from the learner's own metrics reports (one every `metricsEvery` events, ts in ms):
  // from the first report to the first that counts all n events.
  const reports = (await readSmallTopic(kafka, admin, t.metrics))
    .map((s) => {
      const r = JSON.parse(s) as { ts: number; events: { seen: number } };
      return { ts: r.ts, events: r.events.seen };
    })
    .filter((r) => r.events > 0)
    .sort((x, y) => x.ts - y.ts);
  const first = reports[0];
  const last = reports.find((r) => r.events >= n);
  let eventsPerSec = NaN;
  let seconds = NaN;
  if (first !== undefined && last !== undefined && last.ts > first.ts) {
    seconds = (last.ts - first.ts) / 1000;
    eventsPerSec = (last.events - first.events) / seconds;
  }

  // Memory at fractions of the burst (first sample whose committed offset reached it), CPU over the burst.
  const at = (count: number): Sample | undefined => samples.find((s) => s.committed >= count);
  const rss = [0.2, 0.4, 0.6, 0.8, 1].map((f) => {
    const s = at(Math.round(f * n));
    return { events: Math.round(f * n), rssMiB: s === undefined ? null : round(s.rss / MiB) };
  });
  // Every million events (the long run: memory flat from 1 M to 10 M), with the RSS's parts: the
  // anonymous and file-backed RSS (/proc), and inside the learner the V8 heap committed (heapTotal,
  // of which the young and old generations) and in use, and the external memory (Buffers).
  const mib = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : round(x / MiB));
  const rssEveryMillion: MemoryAtMillion[] = [];
  for (let k = 1_000_000; k <= n; k += 1_000_000) {
    const s = at(k);
    // the highest RSS sampled while the committed offset was in (k − 1 M, k]: the sawtooth's top, unlike
    // the single sample at k, which falls anywhere on it
    let top = -1;
    for (const x of samples) if (x.committed > k - 1_000_000 && x.committed <= k && x.rss > top) top = x.rss;
    rssEveryMillion.push({
      events: k,
      rssMiB: s === undefined ? null : round(s.rss / MiB),
      rssMaxInMillionMiB: top < 0 ? null : round(top / MiB),
      rssAnonMiB: mib(s?.rssAnon),
      rssFileMiB: mib(s?.rssFile),
      heapTotalMiB: mib(s?.node?.heapTotal),
      heapUsedMiB: mib(s?.node?.heapUsed),
      externalMiB: mib(s?.node?.external),
      newSpaceMiB: mib(s?.node?.newSpace),
      oldSpaceMiB: mib(s?.node?.oldSpace),
      codeSpaceMiB: mib(s?.node?.codeSpace),
      largeObjectSpaceMiB: mib(s?.node?.largeObjectSpace),
      load1m: s === undefined ? null : s.load,
    });
  }
  const s0 = at(metricsEvery);
  const s1 = at(n);
  const cpuPercent = s0 !== undefined && s1 !== undefined && s1.t > s0.t ? round((100 * (s1.cpu - s0.cpu)) / ((s1.t - s0.t) / 1000)) : null;
  const brokerCpuPercent = s0 !== undefined && s1 !== undefined ? brokerPercent(s0.brokerCpu, s1.brokerCpu, (s1.t - s0.t) / 1000) : null;

  let profile: CpuProfileSummary | null = null;
  if (a.cpuProf !== null) {
    const file = readdirSync(a.cpuProf)
      .filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.`))
      .map((f) => join(a.cpuProf!, f))[0];
    if (file !== undefined) profile = summarizeCpuProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, 20, pathToFileURL(dirname(cliPath)).href + '/');
    else log(`no .cpuprofile of pid ${pid} in ${a.cpuProf}`);
  }
  return {
    result: {
      producerClient: client,
      eventsPerSec: Math.round(eventsPerSec),
      seconds: round(seconds, 2),
      wallSecondsIncludingStartAndIdle: round(wall, 1),
      scores,
      cpuPercentOfOneCore: cpuPercent,
      brokerCpuPercentOfOneCore: brokerCpuPercent,
      rss,
      peakRssMiB: round(lastHwm / MiB),
      rssGrowthLastFourFifthsMiB: rss[0].rssMiB !== null && rss[4].rssMiB !== null ? round(rss[4].rssMiB - rss[0].rssMiB) : null,
      ...(rssEveryMillion.length === 0 ? {} : { rssEveryMillion }),
      loadAverage1mDuring: samples.length === 0 ? null : { min: Math.min(...samples.map((x) => x.load)), max: Math.max(...samples.map((x) => x.load)) },
    },
    profile,
  };
}

/** Phase (c): event-to-score latency at a fixed offered load. */
async function latencyRun(kafka: Kafka, admin: Admin, a: BenchArgs, client: KafkaProducerClient): Promise<Record<string, unknown>> {
  // A producer of its own: kafkajs refreshes the metadata of every topic a producer has used, and
  // fails sends with "does not host this topic-partition" once one of them (an earlier phase's) is deleted.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    return await latencyRunWith(kafka, admin, producer, a, client);
  } finally {
    await producer.disconnect();
  }
}

async function latencyRunWith(kafka: Kafka, admin: Admin, producer: Producer, a: BenchArgs, client: KafkaProducerClient): Promise<Record<string, unknown>> {
  const t = learnerTopics('bench-lat');
  await ensureTopics(admin, { topics: [t.events, t.scores], partitions: a.partitions });
  const total = Math.round(a.rate * a.latencySeconds);
  const endToEnd = new Float64Array(total);
  const untilProduced = new Float64Array(total);
  let nE2e = 0;
  let scored = 0;
  let resolveAll!: () => void;
  const allScored = new Promise<void>((r) => (resolveAll = r));

  // The reader of the scores topic joins first, so no score is missed.
  const reader = kafka.consumer({ groupId: unique('bench-lat-reader'), maxWaitTimeInMs: 100 });
  let joined!: () => void;
  const readerJoined = new Promise<void>((r) => (joined = r));
  reader.on(reader.events.GROUP_JOIN, () => joined());
  await reader.connect();
  const warmup = 2000;
  let warmScored = 0;
  try {
    await reader.subscribe({ topics: [t.scores], fromBeginning: true });
    await reader.run({
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const m of batch.messages) {
          const s = JSON.parse(m.value!.toString('utf8')) as { id: string; ts: number };
          if (s.id.charCodeAt(0) !== 108 /* 'l' */) {
            warmScored++; // a warm-up event's score
            continue;
          }
          if (nE2e < total) {
            endToEnd[nE2e] = now - s.ts;
            untilProduced[nE2e++] = Number(m.timestamp) - s.ts;
          }
          if (++scored >= total) resolveAll();
        }
      },
    });
    await within(readerJoined, 60_000, 'the score reader to join its group');

    // Warm-up events first: the learner consumes them right after its join (resetting its idle clock).
    // A topic created a moment ago may still answer "does not host this topic-partition" (KRaft): retry a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        await produceBurst(producer, t.events, warmup, 'w-', 99, a.encoding);
        break;
      } catch (e) {
        if (attempt >= 10) throw e;
        log(`latency: producing the warm-up failed (${(e as Error).message}); retrying`);
        await sleep(1000);
      }
    }
    const groupId = unique('bench-lat-learner');
    const child = spawnLearner(a, t, groupId, 10_000, null, client);
    let exit: { code: number | null; signal: string | null } | null = null;
    void child.exited.then((e) => (exit = e));
    const waitUntil = performance.now() + 60_000;
    // Wait for the warm-up scores, not the committed offset: offsets are committed with the model
    // snapshots, possibly later than --exit-on-idle after the last warm-up event.
    while (warmScored < warmup) {
      if (exit !== null || performance.now() > waitUntil) {
        child.proc.kill('SIGKILL');
        throw new BenchError(`the latency learner did not score its ${warmup} warm-up events within 60 s (${warmScored} scores seen); stderr: ${child.stderrTail()}`);
      }
      await sleep(100);
    }

    // Paced load: every ~5 ms, send what is due so far; each event's ts is its produce time.
    log(`latency: offering ${a.rate} events/s for ${a.latencySeconds} s`);
    const f = new BenchEventFactory({ seed: 5 });
    const start = performance.now();
    let sent = 0;
    const pool = new SendPool(producer, 64);
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * a.rate));
      while (due > sent) {
        // At most 1000 per send (a late timer on a busy machine must not make a batch over 1 MiB).
        const upTo = Math.min(due, sent + 1000);
        const ts = Date.now();
        const messages = [];
        for (let i = sent; i < upTo; i++) messages.push({ key: `l-${i}`, value: benchEvent(f, a.encoding, `l-${i}`, ts) });
        sent = upTo;
        await pool.send(t.events, messages);
      }
      if (exit !== null) {
        const e = exit as { code: number | null; signal: string | null };
        throw new BenchError(`the latency learner exited during the load (code ${e.code}, signal ${e.signal}) after ${sent} of ${total} events were sent; stderr: ${child.stderrTail()}`);
      }
      await sleep(5);
    }
    await pool.drain();
    const offeredSeconds = (performance.now() - start) / 1000;
    await within(allScored, 120_000, `scores for all ${total} latency events (got ${scored})`);
    const e = await within(child.exited, 60_000 + a.idleSeconds * 1000, 'the latency learner to exit on idle').catch((err: unknown) => {
      child.proc.kill('SIGKILL');
      throw err;
    });
    if (e.code !== 0) throw new BenchError(`the latency learner exited with ${e.code}; stderr: ${child.stderrTail()}`);
    return {
      producerClient: client,
      offeredPerSec: a.rate,
      achievedPerSec: Math.round(total / offeredSeconds),
      seconds: round(offeredSeconds, 1),
      events: total,
      endToEndMs: rounded(summarizeLatencies(endToEnd, nE2e)),
      eventToScoreProducedMs: rounded(summarizeLatencies(untilProduced, nE2e)),
      note: 'endToEnd = arrival at a kafkajs reader of the scores topic − event ts (its produce time); eventToScoreProduced = the score record timestamp (set by the learner producer) − ts',
    };
  } finally {
    await reader.disconnect();
    await admin.deleteTopics({ topics: Object.values(t) }).catch(() => {});
  }
}

function rounded(s: LatencySummary): Record<string, number> {
  return { count: s.count, mean: round(s.mean), p50: s.p50, p90: s.p90, p99: s.p99, p999: s.p999, max: s.max };
}

async function main(): Promise<void> {
  const a = parseBenchArgs(process.argv.slice(2));
  const load0 = round(loadavg()[0], 2);
  const t0 = performance.now();
  const kafka = createKafkaClient(resolveKafkaConfig({ brokers: a.brokers, clientId: 'kafka-bench', logLevel: 'error' }));
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await admin.connect();
  await producer.connect();
  const burst = learnerTopics('bench');
  if (a.eventsTopic !== null) burst.events = a.eventsTopic;
  const outputs: string[] = [];
  try {
    const n = a.long ?? a.events;
    const metricsEvery = Math.max(1000, Math.floor(Math.min(n, 1_000_000) / 100));
    await ensureTopics(admin, { topics: [burst.events], partitions: a.partitions });

    // A kept topic (--events-topic) that already holds the run's events is read as it is.
    const held = a.eventsTopic === null ? 0 : await topicCount(admin, burst.events);
    if (held !== 0 && held !== n) throw new BenchError(`--events-topic ${burst.events} holds ${held} events, not ${n}: name another topic (or delete this one)`);
    const reuse = held === n;
    log(reuse ? `reusing the ${n} events of ${burst.events}` : `producing ${n} ${a.encoding} events to ${burst.events} (${a.partitions} partition(s))`);
    const tp = performance.now();
    const bytes = reuse ? NaN : await produceBurstFast(a.brokers, burst.events, n, 'b-', 1, a.encoding);
    const produceSeconds = (performance.now() - tp) / 1000;
    const inTopic = reuse ? held : await topicCount(admin, burst.events);
    if (inTopic !== n) throw new BenchError(`the burst topic holds ${inTopic} messages, expected ${n}`);
    const config = {
      events: n,
      partitions: a.partitions,
      featuresPerEvent: 20,
      encoding: a.encoding,
      learnerConsumerClient: a.consumer,
      meanEventBytes: round(bytes / n),
      learner: 'logit run defaults (log loss, SGD η=0.05, 2^18 hashed slots), --exit-on-idle ' + a.idleSeconds,
      learnerNodeFlags: a.learnerNodeFlags.join(' '),
      // glibc malloc settings the learner inherited (MALLOC_ARENA_MAX …), if any
      mallocEnv: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('MALLOC_'))),
      throughputWindow: `from the first metrics report (event ${metricsEvery}) to the one that counts all ${n} events; bare consumer from message ${metricsEvery} to ${n}`,
    };
    const produce = reuse
      ? { reusedTopic: burst.events }
      : { eventsPerSec: Math.round(n / produceSeconds), seconds: round(produceSeconds, 2), mbPerSec: round(bytes / MiB / produceSeconds) };

    // Each learner run reads the same burst topic in its own group, into its own output topics.
    const learnerRun = async (client: KafkaProducerClient): Promise<{ result: Record<string, unknown>; profile: CpuProfileSummary | null }> => {
      const t = { ...learnerTopics(`bench-${client}`), events: burst.events };
      outputs.push(t.scores, t.metrics, t.dlq, t.snapshots);
      log(`(b) logit run, ${client} producer, load ${round(loadavg()[0], 2)}`);
      const r = await learnerConsume(kafka, admin, a, t, n, metricsEvery, client);
      log(`(b) ${client}: ${String(r.result.eventsPerSec)} events/s, peak RSS ${String(r.result.peakRssMiB)} MiB, CPU % of a core: learner ${String(r.result.cpuPercentOfOneCore)}, broker ${String(r.result.brokerCpuPercentOfOneCore)}`);
      return r;
    };

    if (a.long !== null) {
      const { result: learner } = await learnerRun(a.clients[0]);
      const perMillion = (learner.rssEveryMillion ?? []) as MemoryAtMillion[];
      const first = perMillion[0]?.rssMiB ?? null;
      const last = perMillion[perMillion.length - 1]?.rssMiB ?? null;
      const heap0 = perMillion[0]?.heapUsedMiB ?? null;
      const heap1 = perMillion[perMillion.length - 1]?.heapUsedMiB ?? null;
      const out = {
        bench: 'kafka-learner-memory',
        machine: { ...machineInfo(), loadAverage1mAtStart: load0 },
        config,
        produce,
        learner,
        rssGrowthFromFirstToLastMillionPercent: first !== null && last !== null ? round((100 * (last - first)) / first, 1) : null,
        meetsTargetFlat5Percent: first !== null && last !== null ? Math.abs(last - first) <= 0.05 * first : null,
        // the least-squares line through every million's RSS: the ends alone move ±7 % with the GC sawtooth
        rssTrendPercentFromFirstToLastMillion: ((t) => (t === null ? null : round(t.percentOverRun, 1)))(memoryTrend(perMillion.map((p) => p.rssMiB))),
        heapUsedGrowthFromFirstToLastMillionPercent: heap0 !== null && heap1 !== null ? round((100 * (heap1 - heap0)) / heap0, 1) : null,
        // where the RSS grew: each part's first and last million (RssAnon − heapTotal ≈ malloc + Buffers)
        memoryGrowthFromFirstToLastMillion: memoryGrowth(perMillion),
        benchSeconds: round((performance.now() - t0) / 1000, 1),
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }

    log(`(a) bare kafkajs consumer, load ${round(loadavg()[0], 2)}`);
    const bare = await bareConsume(kafka, burst.events, n, metricsEvery);
    log(`(a) ${bare.eventsPerSec} events/s, CPU % of a core: consumer ${bare.cpuPercentOfOneCore}, broker ${String(bare.brokerCpuPercentOfOneCore)}`);
    const pipes: Record<string, PhaseRate> = {};
    for (const client of a.clients) {
      log(`(a2) bare consume → produce (${client} sink) → commit, load ${round(loadavg()[0], 2)}`);
      pipes[client] = await bareConsumeProduce(kafka, admin, burst.events, n, metricsEvery, client);
      log(`(a2) ${client}: ${pipes[client].eventsPerSec} events/s, CPU % of a core: pipe ${pipes[client].cpuPercentOfOneCore}, broker ${String(pipes[client].brokerCpuPercentOfOneCore)}`);
    }
    const learners: Record<string, Record<string, unknown>> = {};
    const profiles: Record<string, CpuProfileSummary> = {};
    // Each learner run right after a bare consumer run of its own: the bare consumer's rate moves by
    // up to 2× from minute to minute on a shared machine, so a ratio against the one phase (a) run says
    // little; the ratio to the bare run just before is the paired figure.
    const pairs: { client: string; bareEventsPerSec: number; bareCpuPercentOfOneCore: number; learnerEventsPerSec: number; learnerCpuPercentOfOneCore: number | null; learnerToBare: number }[] = [];
    for (const client of a.clients) {
      log(`(a) bare kafkajs consumer before the ${client} learner, load ${round(loadavg()[0], 2)}`);
      const before = await bareConsume(kafka, burst.events, n, metricsEvery);
      log(`(a) ${before.eventsPerSec} events/s, CPU % of a core: consumer ${before.cpuPercentOfOneCore}`);
      const { result, profile } = await learnerRun(client);
      learners[client] = result;
      if (profile !== null) profiles[client] = profile;
      const rate = result.eventsPerSec as number;
      const learnerToBare = round(rate / before.eventsPerSec, 3);
      pairs.push({
        client,
        bareEventsPerSec: before.eventsPerSec,
        bareCpuPercentOfOneCore: before.cpuPercentOfOneCore,
        learnerEventsPerSec: rate,
        learnerCpuPercentOfOneCore: (result.cpuPercentOfOneCore as number | null) ?? null,
        learnerToBare,
      });
      log(`(b) ${client}: ${learnerToBare}× the bare consumer just before`);
    }
    const pairedMedian = (client: string): number => {
      const r = pairs.filter((p) => p.client === client).map((p) => p.learnerToBare).sort((x, y) => x - y);
      return r.length % 2 === 1 ? r[(r.length - 1) / 2] : round((r[r.length / 2 - 1] + r[r.length / 2]) / 2, 3);
    };
    const latency: Record<string, Record<string, unknown>> = {};
    if (!a.skipLatency) {
      for (const client of a.clients) {
        log(`(c) latency, ${client} producer`);
        // A failed latency phase is reported, not fatal: the throughput figures above are kept.
        latency[client] = await latencyRun(kafka, admin, a, client).catch((e: unknown) => {
          log(`(c) latency, ${client}: ${(e as Error)?.message ?? String(e)}`);
          return { producerClient: client, error: (e as Error)?.message ?? String(e) };
        });
      }
    }

    const ratios: Record<string, Record<string, number | boolean>> = {};
    for (const client of a.clients) {
      const rate = learners[client].eventsPerSec as number;
      const learnerCpu = learners[client].cpuPercentOfOneCore as number | null;
      const paired = pairedMedian(client);
      ratios[client] = {
        learnerToBare: round(rate / bare.eventsPerSec, 3),
        // the median over this client's runs of the ratio to the bare run just before each
        learnerToBarePairedMedian: paired,
        // Per CPU second of each (the bench process for the bare consumer, the learner process for the learner):
        // less sensitive to the other load on a shared machine than the wall-clock ratio.
        ...(learnerCpu === null || learnerCpu <= 0 ? {} : { learnerToBarePerCpuSecond: round(rate / (learnerCpu / 100) / (bare.eventsPerSec / (bare.cpuPercentOfOneCore / 100)), 3) }),
        learnerToBareConsumeProduce: round(rate / pipes[client].eventsPerSec, 3),
        bareConsumeProduceToBare: round(pipes[client].eventsPerSec / bare.eventsPerSec, 3),
        meetsTarget80Percent: rate / bare.eventsPerSec >= 0.8,
        meetsTarget80PercentPaired: paired >= 0.8,
      };
    }
    const out = {
      bench: 'kafka-end-to-end',
      mode: a.quick ? 'quick' : 'full',
      machine: { ...machineInfo(), loadAverage1mAtStart: load0 },
      config,
      produce,
      bareConsumer: bare,
      bareConsumeProduceCommit: pipes,
      learner: learners,
      pairs,
      ratios,
      ...(a.skipLatency ? {} : { latency }),
      ...(Object.keys(profiles).length === 0 ? {} : { learnerCpuProfile: profiles }),
      benchSeconds: round((performance.now() - t0) / 1000, 1),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    const existing = new Set(await admin.listTopics().catch(() => [] as string[]));
    const mine = [...Object.values(burst), ...outputs].filter((t) => existing.has(t) && t !== a.eventsTopic);
    if (mine.length > 0) await admin.deleteTopics({ topics: mine }).catch(() => {});
    await producer.disconnect();
    await admin.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`kafka-bench: error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
