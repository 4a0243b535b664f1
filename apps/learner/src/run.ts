import { writeFile } from 'node:fs/promises';
import { OnlineLearner } from '@logit-stream/core';
import { Subject, filter, type Subscription } from 'rxjs';
import { AppError } from './app-error.js';
import type { EventSource, InputBatch, ResultSink } from './io/types.js';
import {
  createKafkaClient,
  createKafkaSink,
  createKafkaSource,
  ensureTopics,
  KafkaAdapterError,
  learnerTopicSpecs,
  resolveKafkaConfig,
} from './kafka/index.js';
import { startMetricsServer, type HealthStatus, type MetricsServer, type Readiness } from './http/metrics-server.js';
import { PartitionLagTracker } from './http/partition-lag.js';
import { createLogger, type Logger } from './logger.js';
import type { RunConfig } from './options.js';
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
  const learner = new OnlineLearner(cfg.learner, cfg.learnerId);
  const lag = new PartitionLagTracker();
  let assigned = true;
  const onAssignment = (a: Readonly<Record<string, readonly number[]>>): void => {
    assigned = Object.values(a).some((p) => p.length > 0);
    lag.retain(a);
    log.info({ assignment: a }, assigned ? 'partitions assigned' : 'no partitions assigned to this learner');
  };
  const { source, sink } = await openIo(cfg, io, log, onAssignment);
  const processor = new BatchProcessor({
    learner,
    topics: cfg.topics,
    metricsEvery: cfg.metricsEvery,
    metricsIntervalMs: cfg.metricsIntervalMs,
    maxEvents: cfg.maxEvents,
    now,
  });
  const start = now();
  let status: HealthStatus['status'] = 'starting';
  let http: MetricsServer | null = null;
  // Readiness: the source is running, this learner owns partitions, and work is not stuck: no batch
  // has been in flight, or lag outstanding, for longer than --stall-after without progress.
  let lastProgressAt = start;
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
  if (cfg.http !== null) {
    try {
      http = await startMetricsServer({
        ...cfg.http,
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
          snapshotAgeSeconds: null,
        }),
      });
    } catch (e) {
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

  let resolveStop!: (reason: string) => void;
  const stopped = new Promise<string>((r) => {
    resolveStop = r;
  });
  let failure: Error | null = null;
  const requestStop = (reason: string): void => resolveStop(reason);

  const jobs = new Subject<BatchJob>();
  const debug = log.isLevelEnabled('debug');
  const handler = (batch: InputBatch): Promise<void> => {
    if (failure !== null) return Promise.reject(failure);
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
    }).finally(() => {
      batchesInFlight--;
      lastProgressAt = now();
    });
  };
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
        .pipe(withTicks(tickMs), learnerPipeline(processor, sink, source))
        .subscribe({
          next: (step) => {
            if (step.job !== null && step.job === inFlight) inFlight = null;
            logDrift();
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
      finalReport = processor.lastReport;
      // The console sink already printed it; on Kafka (or another sink) print it too, so that a CLI
      // run always ends with the final metrics as one JSON line on stdout.
      if (!(sink instanceof ConsoleSink)) io.stdout.write(`${String(final.value)}\n`);
      if (cfg.modelOut) await writeFile(cfg.modelOut, `${JSON.stringify(learner.exportModel(), null, 2)}\n`);
    }
  } catch (e) {
    failure = e instanceof Error ? e : new Error(String(e));
  } finally {
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

/** The source and sink: injected ones, Kafka when brokers are configured, else the embedded stream and the console. */
async function openIo(
  cfg: RunConfig,
  io: ServiceIo,
  log: Logger,
  onAssignment: (a: Readonly<Record<string, readonly number[]>>) => void,
): Promise<{ source: EventSource; sink: ResultSink }> {
  const tee = (sink: ResultSink): ResultSink => (cfg.scoresOut ? new ScoresFileTee(sink, cfg.topics.scores, cfg.scoresOut) : sink);
  if (io.source && io.sink) return { source: io.source, sink: tee(io.sink) };
  if (cfg.brokers === null) {
    const denseDim = cfg.learner.features.kind === 'dense';
    return {
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
    await admin.connect();
    try {
      const r = await ensureTopics(admin, { topics: learnerTopicSpecs(cfg.topics, cfg.partitions ?? 1) });
      if (r.created.length > 0) log.info({ created: r.created }, 'topics created');
    } finally {
      await admin.disconnect();
    }
    const source = io.source ?? createKafkaSource({ kafka, topics: [cfg.topics.events], groupId: cfg.groupId, logger: log, onAssignment });
    let sink = io.sink;
    if (!sink) {
      const k = createKafkaSink({ kafka });
      await k.connect();
      sink = k;
    }
    return { source, sink: tee(sink) };
  } catch (e) {
    if (e instanceof KafkaAdapterError && !e.retriable && (e.code === 'bad-setting' || e.code === 'no-brokers')) {
      throw new AppError('bad-option', e.message, { cause: e, exitCode: 2 });
    }
    throw e;
  }
}
