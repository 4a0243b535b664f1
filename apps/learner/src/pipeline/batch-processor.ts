import { DLQ_MAX_KEY_BYTES, encodeDlqRecord, encodeScore, encodeScoreInto, scoreBytesBound } from '@logit-stream/core';
import type { DecodedEvent, MetricsReport, OnlineLearner, Score } from '@logit-stream/core';
import type { CommitOffset, InputBatch, OutputRecord } from '../io/types.js';
import type { Topics } from '../options.js';

// The group id of a run without --group-id (the CLI default, options.ts), published in its reports.
const DEFAULT_GROUP_ID = 'logit-stream';

/** SPEC §2 metrics report as published: the learner's report plus its group id, throughput and lag. */
export interface PublishedMetrics extends MetricsReport {
  /**
   * The consumer group of the run (`--group-id`, default 'logit-stream', also in embedded mode), so
   * that a reader of the metrics topic can tell the groups apart (scale-out, issue 8). Placed beside
   * `learnerId`; an addition to SPEC §2's fields, which are unchanged.
   */
  groupId: string;
  /**
   * Events per second (accepted and rejected) over the interval since the previous report (a report
   * less than 50 ms after the previous one with no event in between repeats its rate).
   */
  throughput: number;
  /** now − the timestamp of the last event (its `ts`, else the message timestamp), or null before any event. */
  lagMs: number | null;
  /**
   * True on the report of a clean shutdown ({@link BatchProcessor.finalReport}), else false: a group
   * view tells a learner that stopped from one that went silent (killed). An addition to SPEC §2.
   */
  final: boolean;
}

/** What one batch produced: the records to send, then the offsets to commit. */
export interface ProcessedBatch {
  readonly records: OutputRecord[];
  readonly commits: CommitOffset[];
  /** Messages handled (scored or rejected) from this batch. */
  readonly events: number;
}

/** Settings of {@link BatchProcessor}. */
export interface BatchProcessorOptions {
  readonly learner: OnlineLearner;
  readonly topics: Pick<Topics, 'scores' | 'metrics' | 'dlq'>;
  /** The run's group id, published in every report as `groupId` (default 'logit-stream', the CLI's default). */
  readonly groupId?: string;
  /** A metrics report every this many events (default 10 000). */
  readonly metricsEvery?: number;
  /** …and at least every this many ms (default 5000). */
  readonly metricsIntervalMs?: number;
  /** Stop after this many events (default: no limit); the rest of a batch is left uncommitted. */
  readonly maxEvents?: number | null;
  /** Wall clock (default Date.now). */
  readonly now?: () => number;
  /**
   * Score record values as UTF-8 bytes (a Buffer view into a per-batch arena, written by
   * `encodeScoreInto`) instead of strings (`encodeScore`); the same bytes either way. Saves the
   * sink's `Buffer.byteLength` and string write per record (default false: string values).
   */
  readonly scoreBytes?: boolean;
}

/** Bytes reserved per remaining message when a batch's score arena (a new chunk of it) is allocated: a typical score record's size. */
const ARENA_BYTES_PER_SCORE = 160;
/** The largest arena chunk (a chunk still holds at least one record, however long its id). */
const ARENA_MAX_CHUNK = 1 << 20;
/** No arena yet: too small for any record, so the first score allocates a chunk. */
const NO_ARENA = Buffer.alloc(0);

/**
 * The per-event work of the service, batch by batch: decode and validate each message (rejects
 * become DLQ records with the reason and topic/partition/offset), score, emit the score record,
 * update metrics and drift, learn (all inside `OnlineLearner.process`, prequentially), and publish a
 * metrics report every N events or T ms. Returns the records of the batch and the next offset to
 * commit for its partition. One DecodedEvent and one Score are reused for every event.
 *
 * @example
 * const p = new BatchProcessor({ learner, topics });
 * const { records, commits } = p.processBatch(batch);
 * await sink.send(records);
 * await source.commit(commits);
 */
export class BatchProcessor {
  /** Messages handled (accepted + rejected). */
  events = 0;
  /** Messages scored. */
  scored = 0;
  /** Messages sent to the DLQ. */
  rejected = 0;
  /** Messages sent to the DLQ, by reject code (SPEC §2), e.g. `'bad-json'` → 3. */
  readonly rejectedByCode = new Map<string, number>();
  /** Metrics reports produced. */
  reports = 0;
  /** Timestamp (epoch ms) of the last event, or null. */
  lastEventTs: number | null = null;
  /** The last report produced, or null. */
  lastReport: PublishedMetrics | null = null;
  private readonly learner: OnlineLearner;
  private readonly ev: DecodedEvent;
  private readonly score: Score;
  private readonly every: number;
  private readonly intervalMs: number;
  private readonly max: number;
  private readonly now: () => number;
  private readonly scoreBytes: boolean;
  private sinceReport = 0;
  private lastReportAt: number;
  private lastThroughput = 0;

  constructor(private readonly o: BatchProcessorOptions) {
    this.learner = o.learner;
    this.ev = o.learner.newEvent();
    this.score = o.learner.newScore();
    this.every = o.metricsEvery ?? 10_000;
    this.intervalMs = o.metricsIntervalMs ?? 5_000;
    this.max = o.maxEvents ?? Number.POSITIVE_INFINITY;
    this.now = o.now ?? Date.now;
    this.scoreBytes = o.scoreBytes ?? false;
    this.lastReportAt = this.now();
  }

  /** Whether `maxEvents` have been handled (the service should stop). */
  get done(): boolean {
    return this.events >= this.max;
  }

  /** Decodes, scores and learns one batch; see the class comment. */
  processBatch(batch: InputBatch): ProcessedBatch {
    const records: OutputRecord[] = [];
    const { scores, dlq } = this.o.topics;
    const learner = this.learner;
    const decoder = learner.decoder;
    const ev = this.ev;
    const out = this.score;
    const msgs = batch.messages;
    const learnerId = learner.learnerId;
    const scoreBytes = this.scoreBytes;
    // score bytes (scoreBytes): chunks allocated per call, never reused, so that the records stay
    // valid after the call returns (the sink may still hold them)
    let arena = NO_ARENA;
    let at = 0;
    let handled = 0;
    let lastOffset = -1;
    for (let i = 0; i < msgs.length && this.events < this.max; i++) {
      const m = msgs[i];
      const rejection = decoder.decode(m.value, ev);
      const offset = m.offsetValue ?? Number(m.offset);
      if (rejection === null) {
        learner.process(ev, out, offset);
        if (scoreBytes) {
          let end = encodeScoreInto(out, learnerId, arena, at);
          if (end < 0) {
            const need = scoreBytesBound(out.id, learnerId);
            arena = Buffer.allocUnsafe(Math.max(need, Math.min(ARENA_MAX_CHUNK, (msgs.length - i) * ARENA_BYTES_PER_SCORE)));
            at = 0;
            end = encodeScoreInto(out, learnerId, arena, 0);
          }
          records.push({ topic: scores, key: m.key ?? out.id, value: arena.subarray(at, end) });
          at = end;
        } else records.push({ topic: scores, key: m.key ?? out.id, value: encodeScore(out, learnerId) });
        this.scored++;
        this.lastEventTs = ev.ts ?? m.timestamp;
      } else {
        const now = this.now();
        records.push({
          topic: dlq,
          // (P5b) a huge key is cut to DLQ_MAX_KEY_BYTES (the record says keyTruncated), so that key +
          // record stay under the DLQ topic's max message size and the partition cannot wedge
          key: m.key !== null && m.key.length > DLQ_MAX_KEY_BYTES ? m.key.subarray(0, DLQ_MAX_KEY_BYTES) : m.key,
          value: encodeDlqRecord({
            value: m.value,
            key: m.key,
            topic: m.topic,
            partition: m.partition,
            offset: m.offset,
            rejection,
            ts: now,
          }),
        });
        this.rejected++;
        this.rejectedByCode.set(rejection.code, (this.rejectedByCode.get(rejection.code) ?? 0) + 1);
        this.lastEventTs = m.timestamp;
      }
      this.events++;
      handled++;
      lastOffset = offset;
      if (++this.sinceReport >= this.every) records.push(this.reportRecord());
    }
    if (this.now() - this.lastReportAt >= this.intervalMs) records.push(this.reportRecord());
    const commits: CommitOffset[] =
      handled === 0 ? [] : [{ topic: batch.topic, partition: batch.partition, offset: String(lastOffset + 1) }];
    return { records, commits, events: handled };
  }

  /** The time-driven check (also on an idle stream): a report when `metricsIntervalMs` have passed since the last. */
  tick(): OutputRecord[] {
    return this.now() - this.lastReportAt >= this.intervalMs ? [this.reportRecord()] : [];
  }

  /** A report now, whatever the counters say: the final report at shutdown (`final: true`). */
  finalReport(): OutputRecord {
    return this.reportRecord(true);
  }

  private reportRecord(final = false): OutputRecord {
    const now = this.now();
    const seconds = (now - this.lastReportAt) / 1000;
    // An empty interval right after a report (the final report just after a count-driven one)
    // repeats the previous rate; an idle stream's ticks already brought that down to 0.
    const throughput = this.sinceReport > 0 && seconds > 0 ? this.sinceReport / seconds : this.sinceReport === 0 && seconds < 0.05 ? this.lastThroughput : 0;
    this.lastThroughput = throughput;
    const { learnerId, ...rest } = this.learner.report(now);
    const report: PublishedMetrics = {
      learnerId,
      groupId: this.o.groupId ?? DEFAULT_GROUP_ID,
      ...rest,
      throughput,
      lagMs: this.lastEventTs === null ? null : now - this.lastEventTs,
      final,
    };
    this.sinceReport = 0;
    this.lastReportAt = now;
    this.reports++;
    this.lastReport = report;
    return { topic: this.o.topics.metrics, key: this.learner.learnerId, value: JSON.stringify(report) };
  }
}
