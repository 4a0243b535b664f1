import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { OnlineLearner } from '@logit-stream/core';
import { Subject, filter, type Subscription } from 'rxjs';
import { AppError } from './app-error.js';
import {
  CheckpointingProcessor,
  commitAfterStop as commitAfterStopAdmin,
  createPartitionedTransactionalSink,
  GroupSnapshots,
  instanceHeaders,
  retryingCommits,
  retryingSink,
  snapshotKeyBase,
  snapshotSeq,
} from './checkpoint/index.js';
import type { Consumer, Kafka } from 'kafkajs';
import type { CommitOffset, EventSource, InputBatch, OutputRecord, ResultSink } from './io/types.js';
import {
  createKafkaClient,
  createKafkaSink,
  createKafkaSource,
  ensureTopics,
  explainConnectError,
  KafkaAdapterError,
  learnerTopicSpecs,
  resolveKafkaConfig,
} from './kafka/index.js';
import { createLeanKafkaSource } from './kafka/lean/index.js';
import { startGroupMonitor, type GroupMonitor } from './http/group-monitor.js';
import { startMetricsServer, type HealthStatus, type MetricsServer, type Readiness } from './http/metrics-server.js';
import { PartitionLagTracker } from './http/partition-lag.js';
import { createLogger, type Logger } from './logger.js';
import type { RunConfig } from './options.js';
import type { RestoredPosition } from './checkpoint/index.js';
import { BatchProcessor, type PublishedMetrics } from './pipeline/batch-processor.js';
import { idleTimeout } from './pipeline/idle-timeout.js';
import { learnerPipeline } from './pipeline/learner-pipeline.js';
import type { BatchJob } from './pipeline/process-items.js';
import { withTicks } from './pipeline/with-ticks.js';
import { ConsoleSink } from './sinks/console-sink.js';
import { ScoresFileTee } from './sinks/scores-file-tee.js';
import { EmbeddedSource } from './sources/embedded-source.js';

/** Where the service writes and what it may be handed instead of the real source and sink. */
export interface ServiceIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env?: Readonly<Record<string, string | undefined>>;
  /** Stop cleanly on SIGTERM/SIGINT (the CLI sets this; tests do not). */
  handleSignals?: boolean;
  /** Use this source instead of Kafka / the embedded stream (tests, in-process runs). */
  source?: EventSource;
  /** Use this sink instead of Kafka / the console. */
  sink?: ResultSink;
  /** Structured logger (default pino on stderr at the configured level). */
  logger?: Logger;
  /** Wall clock (default Date.now). */
  now?: () => number;
  /** A stop request from outside (resolving it stops the service like SIGTERM). */
  stop?: Promise<unknown>;
}

/** How a service run ended. */
export interface ServiceSummary {
  /** 0 after a clean stop; 1 when the pipeline failed. */
  exitCode: number;
  /** Why it stopped: 'max-events', 'idle', 'exhausted', 'SIGTERM', 'SIGINT', 'stop', or 'error'. */
  reason: string;
  events: number;
  scored: number;
  rejected: number;
  reports: number;
  elapsedMs: number;
  eventsPerSec: number;
  /** The final metrics report (also published), or null if the run failed before it. */
  finalReport: PublishedMetrics | null;
  /** The error that stopped a failed run. */
  error?: Error;
  /** The port the metrics server listened on, or null without one. */
  httpPort: number | null;
}

/**
 * `pnpm logit run`: the streaming learner (SPEC §3). On Kafka when brokers are configured, else on
 * the embedded synthetic stream with a console sink (metrics reports as JSON lines on stdout). Runs
 * the RxJS pipeline until SIGTERM/SIGINT, `--max-events`, `--exit-on-idle`, the end of a finite
 * source, or a failure; then stops the source (draining the batch in flight: its records sent, its
 * offsets committed), publishes a final metrics report (also printed as the last line of stdout),
 * writes `--model-out`, and closes the sink.
 *
 * @param cfg - from `runConfigFromFlags`
 * @param io - output streams and optional injected source/sink
 * @returns how it ended (the CLI exits with `exitCode`)
 * @example
 * const s = await runService(runConfigFromFlags({ maxEvents: '20000' }), { stdout, stderr });
 * s.finalReport?.total.logLoss
 */
export async function runService(cfg: RunConfig, io: ServiceIo): Promise<ServiceSummary> {
  const now = io.now ?? Date.now;
  const log = io.logger ?? createLogger({ learnerId: cfg.learnerId, level: cfg.logLevel });
  const lag = new PartitionLagTracker();
  let assigned = true;
  let checkpointRef: CheckpointingProcessor | null = null;
  const onAssignment = (a: Readonly<Record<string, readonly number[]>>): void => {
    assigned = Object.values(a).some((p) => p.length > 0);
    lag.retain(a);
    checkpointRef?.assign(a);
    log.info({ assignment: a }, assigned ? 'partitions assigned' : 'no partitions assigned to this learner');
  };
  const { source, sink, kafka, seek, input, commitAfterStop: commitLeft } = await openIo(cfg, io, log, onAssignment);
  let learner = new OnlineLearner(cfg.learner, cfg.learnerId);
  let restored: RestoredPosition | null = null;
  // This process, on its snapshot records: tells a second live instance with the same learner id.
  const instanceId = randomBytes(6).toString('hex');
  const startedAt = now();
  let duplicateId: AppError | null = null;
  let onDuplicateId = (): void => {};
  const keyBase = snapshotKeyBase(cfg.groupId, cfg.learnerId);
  let group: GroupSnapshots | null = null;
  if (kafka !== null) {
    // SPEC §4: restore the newest valid snapshot of this learner; the checkpointing guard seeks to its
    // offsets. The group's snapshots stay followed: a learner without one of its own starts from the
    // group's model, and learners of one group mix their models (scale-out).
    try {
      const t0 = now();
      group = new GroupSnapshots({
        kafka,
        topic: cfg.topics.snapshots,
        groupId: cfg.groupId,
        learnerId: cfg.learnerId,
        logger: log,
        instance: {
          id: instanceId,
          startedAt: startedAt,
          onDuplicate: (other) => {
            duplicateId = new AppError(
              'bad-option',
              `another instance (${other.id}, started ${new Date(other.startedAt).toISOString()}) runs with learner id ${cfg.learnerId} in group ${cfg.groupId} and writes its snapshots; stopping this later one: give every instance of a group its own --learner-id (e.g. the pod name)`,
            );
            log.error({ other, learnerId: cfg.learnerId, groupId: cfg.groupId }, duplicateId.message);
            onDuplicateId();
          },
        },
      });
      await group.start();
      const r = group.own();
      // Peers trained with other options cannot be mixed (the checkpointing logs them once they publish).
      const peers = cfg.mix === null ? [] : group.peers().filter((p) => p.payload.state['options'] === JSON.stringify(learner.options));
      if (r.snapshot !== null) {
        learner = OnlineLearner.fromState(r.snapshot.state);
        const c = r.snapshot.config as { learned?: unknown; mixed?: unknown } | null;
        restored = {
          seq: snapshotSeq(r.snapshot),
          offsets: r.snapshot.offsets,
          learned: typeof c?.learned === 'number' ? c.learned : undefined,
          mixed: c?.mixed !== null && typeof c?.mixed === 'object' ? (c.mixed as RestoredPosition['mixed']) : undefined,
        };
        if (JSON.stringify(learner.options) !== JSON.stringify(cfg.learner)) {
          log.warn({ snapshot: learner.options, given: cfg.learner }, 'the restored snapshot was trained with other learning options; it keeps its own');
        }
      } else if (peers.length > 0) {
        // Joining a running group: start from the group's model, the peers' newest snapshots averaged
        // by the events each learned; this learner's metrics and detectors start fresh.
        const states = peers.map((p) => p.payload.state);
        const weights = peers.map((p) => Math.max(1, p.learned));
        const version = Math.max(...peers.map((p) => Number((p.payload.state['optimizer'] as { updates?: number }).updates ?? 0)));
        try {
          learner.mix(0, states, weights, version);
          restored = { seq: 0, offsets: [], learned: 0, mixed: Object.fromEntries(peers.map((p) => [p.learnerId, { seq: p.seq, learned: p.learned }])) };
          log.info({ peers: peers.map((p) => ({ learnerId: p.learnerId, seq: p.seq, learned: p.learned })), modelVersion: version }, "no snapshot of this learner: starting from the group's model");
        } catch (e) {
          log.error({ err: e }, `cannot start from the group's model (${(e as Error).message}); starting a new model`);
        }
      }
      log.info(
        { restored: r.snapshot !== null, seq: restored?.seq ?? null, offsets: restored?.offsets ?? [], at: r.at, read: r.read, refused: r.refused, peers: peers.length, ms: now() - t0 },
        r.snapshot === null ? (restored === null ? 'no model snapshot to restore: starting a new model' : 'model initialised from the group') : 'model snapshot restored',
      );
    } catch (e) {
      await group?.stop().catch(() => undefined);
      await source.stop().catch(() => undefined);
      await sink.close().catch(() => undefined);
      throw e;
    }
  }
  const processor = new BatchProcessor({
    learner,
    groupId: cfg.groupId,
    topics: cfg.topics,
    metricsEvery: cfg.metricsEvery,
    metricsIntervalMs: cfg.metricsIntervalMs,
    maxEvents: cfg.maxEvents,
    now,
    // Scores straight into bytes (the same bytes as encodeScore's JSON): every sink takes Buffer values.
    scoreBytes: true,
  });
  const checkpoint =
    kafka === null
      ? null
      : new CheckpointingProcessor({
          inner: processor,
          learner,
          topic: cfg.topics.snapshots,
          keyBase,
          groupId: cfg.groupId,
          every: cfg.checkpoint.every,
          intervalMs: cfg.checkpoint.intervalMs,
          everyBatch: cfg.checkpoint.exactlyOnce,
          now,
          restored,
          seek: seek ?? undefined,
          group,
          mix: cfg.mix,
          headers: instanceHeaders(instanceId, startedAt),
          logger: log,
        });
  checkpointRef = checkpoint;
  const start = now();
  let status: HealthStatus['status'] = 'starting';
  let http: MetricsServer | null = null;
  // Readiness: the source is running, this learner owns partitions, and work is not stuck: no batch
  // has been in flight, or lag outstanding, for longer than --stall-after without progress.
  let lastProgressAt = start;
  // Batches handed to the pipeline whose records are not yet sent and offsets committed. (With send
  // overlap a batch's handler promise settles when its send begins: it does not tell.)
  let batchesInFlight = 0;
  const stallMs = cfg.stallAfterMs ?? 30_000;
  const readiness = (): Readiness => {
    const connected = status === 'running';
    const waiting = batchesInFlight > 0 || (lag.total() ?? 0) > 0;
    const stalled = connected && waiting && now() - lastProgressAt > stallMs;
    const reason = !connected
      ? `source not running (status ${status})`
      : !assigned
        ? 'no partitions assigned to this learner'
        : stalled
          ? `no progress for ${Math.round((now() - lastProgressAt) / 1000)} s with work pending`
          : '';
    return { connected, assigned, stalled, reason };
  };
  let groupMonitor: GroupMonitor | null = null;
  if (cfg.http !== null) {
    try {
      // The group's learners as their reports on the metrics topic show them (scale-out).
      groupMonitor = startGroupMonitor({
        kafka,
        groupId: cfg.groupId,
        topic: cfg.topics.metrics,
        staleAfterMs: 3 * cfg.metricsIntervalMs,
        logger: log,
        now,
        ownReport: () => processor.lastReport,
      });
      const gm = groupMonitor;
      http = await startMetricsServer({
        ...cfg.http,
        group: () => gm.json(),
        learnerId: cfg.learnerId,
        report: () => processor.lastReport,
        health: () => ({ status, events: processor.events, uptimeMs: now() - start }),
        readiness,
        counters: () => ({
          eventsIn: processor.events,
          eventsScored: processor.scored,
          eventsLearned: learner.modelVersion,
          eventsRejected: processor.rejected,
          rejectedByCode: processor.rejectedByCode,
          lag: lag.list(),
          snapshotAgeSeconds: lastSnapshotAt === null ? null : (now() - lastSnapshotAt) / 1000,
        }),
      });
    } catch (e) {
      await groupMonitor?.stop().catch(() => undefined);
      await group?.stop().catch(() => undefined);
      await source.stop().catch(() => undefined);
      await sink.close().catch(() => undefined);
      throw e;
    }
    log.info({ url: `http://${cfg.http.host}:${http.port}/` }, 'metrics server listening');
  }
  log.info(
    { mode: cfg.brokers === null && !io.source ? 'embedded' : 'kafka', topics: cfg.topics, options: cfg.learner },
    'learner starting',
  );
  if (group !== null && group.hasPeers() && cfg.exitOnIdleMs !== null && cfg.exitOnIdleMs <= cfg.sessionTimeoutMs) {
    log.warn(
      { exitOnIdleMs: cfg.exitOnIdleMs, sessionTimeoutMs: cfg.sessionTimeoutMs },
      '--exit-on-idle is not longer than --session-timeout-ms: in a group, this learner may stop before the partitions of a member that died are handed over to it (their remaining events would wait for the next start)',
    );
  }

  let resolveStop!: (reason: string) => void;
  const stopped = new Promise<string>((r) => {
    resolveStop = r;
  });
  let failure: Error | null = null;
  const requestStop = (reason: string): void => resolveStop(reason);
  onDuplicateId = () => {
    failure ??= duplicateId;
    requestStop('error');
  };
  if (duplicateId !== null) onDuplicateId();

  const jobs = new Subject<BatchJob>();
  const debug = log.isLevelEnabled('debug');
  // Set once the stop flush begins: batches kafkajs had already fetched are handed back unprocessed
  // and uncommitted (whoever owns the partition next receives them), so the flush is a barrier.
  let draining = false;
  const handler = (batch: InputBatch): Promise<void> => {
    if (failure !== null) return Promise.reject(failure);
    if (draining) return Promise.resolve();
    // A flush (a snapshot before the partitions move) waits for the pipeline to be empty: hold new
    // batches until it is done, or with send overlap a busy stream would never leave it a gap.
    if (flushing !== null) return flushing.then(() => handler(batch));
    lag.observe(batch);
    const n = batch.messages.length;
    if (debug && n > 0) {
      log.debug(
        { topic: batch.topic, partition: batch.partition, firstOffset: batch.messages[0].offset, lastOffset: batch.messages[n - 1].offset, messages: n, highWatermark: batch.highWatermark },
        'batch received',
      );
    }
    batchesInFlight++;
    return new Promise<void>((resolve, reject) => {
      jobs.next({ batch, resolve, reject });
    });
  };
  let snapshotsSeen = 0;
  let lastSnapshotAt: number | null = null;
  let loggedReport: PublishedMetrics | null = null;
  const detectionsSeen = new Map<string, number>();
  const logDrift = (): void => {
    const r = processor.lastReport;
    if (r === null || r === loggedReport) return;
    loggedReport = r;
    for (const [key, d] of Object.entries(r.drift.detectors)) {
      if (d.detections > (detectionsSeen.get(key) ?? 0)) {
        detectionsSeen.set(key, d.detections);
        log.warn({ detector: d.detector, model: d.model, detections: d.detections, offset: d.lastOffset, position: d.lastPosition }, 'drift detected');
      }
    }
  };
  let inFlight: BatchJob | null = null;
  const subs: Subscription[] = [];
  const tickMs = Math.max(10, Math.min(1000, Math.floor(cfg.metricsIntervalMs / 4), cfg.exitOnIdleMs ?? 1000));
  const pipelineDone = new Promise<void>((resolve) => {
    subs.push(
      jobs
        .pipe(withTicks(tickMs), learnerPipeline(checkpoint ?? processor, sink, source, { overlap: cfg.sendOverlap !== false }))
        .subscribe({
          next: (step) => {
            if (step.job !== null) {
              batchesInFlight--;
              lastProgressAt = now();
            }
            if (step.job !== null && step.job === inFlight) inFlight = null;
            logDrift();
            if (checkpoint !== null && checkpoint.snapshots > snapshotsSeen) {
              // The step is done once its records and its snapshot are sent.
              snapshotsSeen = checkpoint.snapshots;
              lastSnapshotAt = now();
            }
            if (processor.done) requestStop('max-events');
          },
          error: (e: unknown) => {
            failure = e instanceof Error ? e : new Error(String(e));
            inFlight?.reject(failure);
            requestStop('error');
            resolve();
          },
          complete: () => resolve(),
        }),
    );
  });
  subs.push(jobs.subscribe((j) => (inFlight = j)));
  // A snapshot and a commit of the model's position outside the batch flow (at-least-once only):
  // once no batch is in flight (its records sent), so that a commit never runs ahead of the scores.
  // Used before a clean stop and when the group starts rebalancing (an instance joins or leaves):
  // the partitions' next owners then start at this model's position instead of the last periodic
  // snapshot's. Best effort at a rebalance: kafkajs rejoins without waiting for it, so the commit
  // may be refused (the generation moved on) or the next owner may start before the snapshot
  // reaches it; then it learns again what this model learned since its last snapshot.
  let flushing: Promise<void> | null = null;
  const flushCheckpoint = (why: string): Promise<void> => {
    if (checkpoint === null || cfg.checkpoint.exactlyOnce || failure !== null) return Promise.resolve();
    flushing ??= (async () => {
      // batchesInFlight drops only once a batch's records are sent and its offsets committed.
      const deadline = now() + 5000;
      while (batchesInFlight > 0 && now() < deadline && failure === null) await new Promise((r) => setTimeout(r, 5));
      if (failure !== null) return;
      if (batchesInFlight > 0) {
        log.warn({ why }, 'no snapshot before the partitions move: a batch was still in flight after 5 s');
        return;
      }
      const snap = checkpoint.finalSnapshot();
      if (snap === null) return;
      try {
        await sink.send([snap.record]);
      } catch (e) {
        log.warn({ why, err: e }, `the model snapshot could not be sent (${(e as Error).message}); the next owner replays from the last committed offsets`);
        return;
      }
      snapshotsSeen = checkpoint.snapshots;
      lastSnapshotAt = now();
      // Only the partitions still owned now: the rebalance may have completed while the snapshot was sent.
      const commits = checkpoint.ownedNow(snap.commits);
      try {
        if (commits.length > 0) await source.commit(commits);
        log.info({ why, commits }, 'model snapshot written and its offsets committed');
      } catch (e) {
        log.info({ why, err: e }, `model snapshot written but its offsets not committed (${(e as Error).message}); the next owner starts from the snapshot's position`);
      }
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  };
  input?.onRebalancing(() => flushCheckpoint('rebalance'));
  const onSignal = (sig: NodeJS.Signals): void => {
    log.info({ signal: sig }, 'stop requested');
    requestStop(sig);
  };
  if (io.handleSignals) {
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  void io.stop?.then(() => requestStop('stop'));
  source.exhausted.then(
    () => requestStop('exhausted'),
    (e: unknown) => {
      failure ??= e instanceof Error ? e : new Error(String(e));
      requestStop('error');
    },
  );

  try {
    await source.start(handler);
    status = 'running';
    // Idle time counts from here: joining a consumer group can take longer than --exit-on-idle.
    if (cfg.exitOnIdleMs !== null) {
      const idleMs = cfg.exitOnIdleMs;
      subs.push(
        jobs
          .pipe(
            filter((j) => j.batch.messages.length > 0),
            idleTimeout(idleMs),
          )
          .subscribe(() => requestStop('idle')),
      );
    }
  } catch (e) {
    failure = e instanceof Error ? e : new Error(String(e));
    requestStop('error');
  }
  const reason = await stopped;
  status = failure === null ? 'stopping' : 'failed';
  log.info({ reason }, 'stopping: draining the batch in flight');
  if (failure === null && input !== null) {
    // Snapshot and commit while still in the group, so that whoever takes the partitions next starts
    // where this model stopped (after leaving, the commit below would race the new owner's fetch).
    input.pause();
    draining = true;
    // A rebalance flush in progress may have begun before the last batch: flush again after it.
    if (flushing !== null) await flushing;
    await flushCheckpoint('stop');
  }
  await source.stop();
  jobs.complete();
  await pipelineDone;
  for (const s of subs) s.unsubscribe();
  if (io.handleSignals) {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }

  let finalReport: PublishedMetrics | null = null;
  try {
    if (failure === null) {
      const final = processor.finalReport();
      await sink.send([final]);
      // The shutdown snapshot, then its offsets (committed through the admin API: the consumer has
      // left the group; if that fails the next start restores the snapshot and skips what it holds).
      const last = checkpoint?.finalSnapshot() ?? null;
      if (last !== null) {
        await sink.send([last.record]);
        if (commitLeft !== null) await commitLeft(last.commits);
      }
      if (checkpoint !== null) {
        log.info(
          {
            snapshots: checkpoint.snapshots,
            lastBytes: checkpoint.lastSnapshotBytes,
            snapshotMs: Math.round(checkpoint.snapshotMs),
            skipped: checkpoint.skipped,
            seeks: checkpoint.seeks,
            mixes: checkpoint.mixes,
            peersMixed: checkpoint.peersMixed,
          },
          'checkpoints',
        );
      }
      finalReport = processor.lastReport;
      // The console sink already printed it; on Kafka (or another sink) print it too, so that a CLI
      // run always ends with the final metrics as one JSON line on stdout.
      if (!(sink instanceof ConsoleSink)) io.stdout.write(`${String(final.value)}\n`);
      if (cfg.modelOut) await writeFile(cfg.modelOut, `${JSON.stringify(learner.exportModel(), null, 2)}\n`);
    }
  } catch (e) {
    failure = e instanceof Error ? e : new Error(String(e));
  } finally {
    await groupMonitor?.stop();
    await group?.stop();
    await sink.close().catch((e: unknown) => {
      failure ??= e instanceof Error ? e : new Error(String(e));
    });
    await http?.close();
  }
  const elapsedMs = now() - start;
  const summary: ServiceSummary = {
    exitCode: failure === null ? 0 : 1,
    reason: failure === null ? reason : 'error',
    events: processor.events,
    scored: processor.scored,
    rejected: processor.rejected,
    reports: processor.reports,
    elapsedMs,
    eventsPerSec: elapsedMs > 0 ? (processor.events * 1000) / elapsedMs : 0,
    finalReport,
    httpPort: http?.port ?? null,
  };
  if (failure !== null) {
    summary.error = failure;
    log.error({ err: failure }, 'learner failed');
    io.stderr.write(`error: ${(failure as Error).message}\n`);
  } else {
    log.info({ reason, events: summary.events, eventsPerSec: Math.round(summary.eventsPerSec) }, 'learner stopped');
  }
  return summary;
}

interface OpenedIo {
  source: EventSource;
  sink: ResultSink & { sendWithOffsets?: (records: readonly OutputRecord[], offsets: readonly CommitOffset[]) => Promise<void> };
  /** The Kafka client when the learner consumes Kafka itself (then it checkpoints), else null. */
  kafka: Kafka | null;
  /** Moves a partition's fetch position (the Kafka source's consumer), or null. */
  seek: ((topic: string, partition: number, offset: string) => void) | null;
  /** The Kafka source's controls (pause before a clean stop, rebalance events), or null. */
  input: InputControl | null;
  /** Commits the shutdown snapshot's offsets once the source has left its group (logs a failure), or null. */
  commitAfterStop: ((offsets: readonly CommitOffset[]) => Promise<unknown>) | null;
}

/** What the service needs of its Kafka source besides {@link EventSource}. */
interface InputControl {
  /** Stops fetching (before the shutdown snapshot); a no-op when not running. */
  pause(): void;
  /**
   * Has `flush` (snapshot and commit) called when partitions are about to move. The kafkajs source
   * calls it on REBALANCING without waiting; the lean source awaits it before it releases them.
   */
  onRebalancing(flush: () => Promise<void>): void;
}

/** The controls of the kafkajs source's consumer. */
function kafkajsInput(consumer: Consumer, topic: string): InputControl {
  return {
    pause: () => {
      try {
        consumer.pause([{ topic }]);
      } catch {
        // not running: nothing is fetched anyway
      }
    },
    onRebalancing: (flush) => {
      consumer.on(consumer.events.REBALANCING, () => {
        void flush();
      });
    },
  };
}

/** The source and sink: injected ones, Kafka when brokers are configured, else the embedded stream and the console. */
async function openIo(
  cfg: RunConfig,
  io: ServiceIo,
  log: Logger,
  onAssignment: (a: Readonly<Record<string, readonly number[]>>) => void,
): Promise<OpenedIo> {
  const tee = (sink: ResultSink): ResultSink => (cfg.scoresOut ? new ScoresFileTee(sink, cfg.topics.scores, cfg.scoresOut) : sink);
  if (io.source && io.sink) return { source: io.source, sink: tee(io.sink), kafka: null, seek: null, input: null, commitAfterStop: null };
  if (cfg.brokers === null) {
    const denseDim = cfg.learner.features.kind === 'dense';
    return {
      kafka: null,
      seek: null,
      input: null,
      commitAfterStop: null,
      source:
        io.source ??
        new EmbeddedSource({
          seed: cfg.embedded.seed,
          concept: cfg.embedded.concept,
          driftEvery: cfg.embedded.driftEvery,
          rate: cfg.embedded.rate,
          batchSize: cfg.embedded.batchSize,
          topic: cfg.topics.events,
          featureFormat: denseDim ? 'dense' : 'named',
        }),
      sink: io.sink ? tee(io.sink) : new ConsoleSink({ topics: cfg.topics, stdout: io.stdout, scoresOut: cfg.scoresOut, log }),
    };
  }
  try {
    const kcfg = resolveKafkaConfig({ ...cfg.kafka, brokers: cfg.brokers, groupId: cfg.groupId }, io.env ?? {});
    const kafka = createKafkaClient(kcfg, log);
    const admin = kafka.admin();
    // (P5b) a refused SASL login names the mechanism and user; other failures the security settings
    await admin.connect().catch((e: unknown) => {
      throw explainConnectError(e, kcfg, 'the Kafka admin client');
    });
    let inputPartitions: number[] = [];
    try {
      const r = await ensureTopics(admin, { topics: learnerTopicSpecs(cfg.topics, cfg.partitions ?? 1) });
      if (r.created.length > 0) log.info({ created: r.created }, 'topics created');
      if (cfg.checkpoint.exactlyOnce) {
        const md = await admin.fetchTopicMetadata({ topics: [cfg.topics.events] });
        inputPartitions = md.topics[0].partitions.map((p) => p.partitionId).sort((a, b) => a - b);
      }
    } finally {
      await admin.disconnect();
    }
    // Checkpoints need the learner's own Kafka consumer (its offsets, its seeks).
    if (io.source) return { source: io.source, sink: tee(io.sink ?? (await connectedSink(kafka))), kafka: null, seek: null, input: null, commitAfterStop: null };
    // At-least-once: a broker outage is waited out (sends and commits retried up to --broker-wait-ms).
    const retry = { maxWaitMs: cfg.brokerWaitMs, logger: log };
    if (kcfg.consumerClient === 'lean') {
      if (cfg.checkpoint.exactlyOnce) {
        throw new AppError(
          'bad-option',
          "--exactly-once needs the kafkajs consumer (its transactions commit offsets for a classic consumer group; KAFKA_CONSUMER_CLIENT=lean joins with KIP-848's protocol): unset KAFKA_CONSUMER_CLIENT or set it to kafkajs",
          { exitCode: 2 },
        );
      }
      // The pipeline is done with a batch's messages when its job settles (the score records keep their
      // own key views): the source may re-use their objects.
      const lean = createLeanKafkaSource({ config: kcfg, topics: [cfg.topics.events], groupId: cfg.groupId, logger: log, onAssignment, reuseMessages: true });
      const leanIo = {
        kafka,
        seek: lean.seek,
        input: { pause: () => lean.pause(), onRebalancing: (flush: () => Promise<void>) => lean.onRevoking(flush) },
        commitAfterStop: (offsets: readonly CommitOffset[]) => lean.commitAfterLeaving(offsets),
      };
      return { ...leanIo, source: retryingCommits(lean, retry), sink: tee(io.sink ?? retryingSink(await connectedSink(kafka), retry)) };
    }
    const kafkaSource = createKafkaSource({
      kafka,
      topics: [cfg.topics.events],
      groupId: cfg.groupId,
      logger: log,
      onAssignment,
      sessionTimeoutMs: cfg.sessionTimeoutMs,
      heartbeatIntervalMs: Math.min(3000, Math.floor(cfg.sessionTimeoutMs / 3)),
    });
    const seek = (topic: string, partition: number, offset: string): void => kafkaSource.consumer.seek({ topic, partition, offset });
    const input = kafkajsInput(kafkaSource.consumer, cfg.topics.events);
    const commitAfterStop = (offsets: readonly CommitOffset[]): Promise<boolean> => commitAfterStopAdmin(kafka, cfg.groupId, offsets, log);
    if (io.sink) return { source: retryingCommits(kafkaSource, retry), sink: tee(io.sink), kafka, seek, input, commitAfterStop };
    if (cfg.checkpoint.exactlyOnce) {
      if (cfg.scoresOut) {
        throw new AppError('bad-option', '--scores-out cannot be used with --exactly-once (the file would also get the scores of aborted transactions); read the scores topic with read_committed instead', { exitCode: 2 });
      }
      await refuseLiveExactlyOncePeers(kafka, cfg, log);
      const tx = createPartitionedTransactionalSink({ kafka, groupId: cfg.groupId, inputTopic: cfg.topics.events, partitions: inputPartitions });
      // Before the snapshot is read: fences a killed predecessor and aborts its open transactions.
      await tx.connect();
      log.info({ partitions: inputPartitions }, 'exactly-once: one transactional producer per input partition');
      return { source: kafkaSource, sink: tx, kafka, seek, input, commitAfterStop };
    }
    return { source: retryingCommits(kafkaSource, retry), sink: tee(retryingSink(await connectedSink(kafka), retry)), kafka, seek, input, commitAfterStop };
  } catch (e) {
    if (e instanceof KafkaAdapterError && !e.retriable && (e.code === 'bad-setting' || e.code === 'no-brokers')) {
      throw new AppError('bad-option', e.message, { cause: e, exitCode: 2 });
    }
    throw e;
  }
}

/**
 * Exactly-once runs one learner per group: each one initialises the transactional producers of every
 * input partition, so a second live learner would fence the first one's. Before connecting them, read
 * the group's snapshots (read_uncommitted, so that a dead predecessor's open transaction cannot hold
 * the read up) and refuse to start when another learner of the group wrote one within the last two
 * session timeouts.
 */
async function refuseLiveExactlyOncePeers(kafka: Kafka, cfg: RunConfig, log: Logger): Promise<void> {
  const g = new GroupSnapshots({ kafka, topic: cfg.topics.snapshots, groupId: cfg.groupId, learnerId: cfg.learnerId, logger: log, readUncommitted: true });
  await g.start();
  try {
    const recent = Date.now() - 2 * cfg.sessionTimeoutMs;
    const live = g.peers().filter((p) => p.payload.createdAt >= recent);
    if (live.length > 0) {
      throw new AppError(
        'bad-option',
        `--exactly-once runs one learner per group, but learner ${live[0].learnerId} of group ${cfg.groupId} wrote a snapshot ${Math.round((Date.now() - live[0].payload.createdAt) / 1000)} s ago; stop it first, or run the group without --exactly-once (scale-out is at-least-once)`,
        { exitCode: 2 },
      );
    }
  } finally {
    await g.stop();
  }
}

async function connectedSink(kafka: Kafka): Promise<ResultSink> {
  const k = createKafkaSink({ kafka });
  await k.connect();
  return k;
}
