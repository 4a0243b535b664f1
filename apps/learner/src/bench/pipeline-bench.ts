/**
 * The learner's per-event CPU cost without Kafka, stage by stage (issue 9: where the time of the
 * Kafka path goes besides the clients): the bench events of kafka-bench (20 named features) as
 * InputMessages in slices of 1000, in JSON and in the binary encoding, through
 *   decode      EventDecoder.decode alone
 *   + learn     decode + OnlineLearner.process (score, metrics, drift, learn)
 *   + records   BatchProcessor.processBatch (the above + the score's JSON + its output record + reports)
 *   + encode    the same + the score records written into a Kafka record batch as the lean sink does
 *               (chunkRecords: recordBytes of every record, then its writer, CRC-32C)
 * with `logit run`'s default learning options. Prints one JSON object: CPU µs per event of each
 * stage (median of --reps passes over fresh learners), and the differences that cost each step.
 * The last two stages run twice per pass: score values as strings (encodeScore, the default) and as
 * bytes (BatchProcessor's `scoreBytes`, encodeScoreInto into a per-batch arena), in alternating order;
 * `scoreBytes` in the output holds the latter and the saving.
 *
 *   node [--expose-gc] apps/learner/dist/bench/pipeline-bench.js [--events 200000] [--reps 5]
 *
 * With --expose-gc a full collection precedes every timed run (steadier A/B figures).
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { OnlineLearner, type LearnerOptions } from '@logit-stream/core';
import type { InputBatch, InputMessage } from '../io/types.js';
import { runConfigFromFlags } from '../options.js';
import { BatchProcessor } from '../pipeline/batch-processor.js';
import { RecordBatchWriter } from '../kafka/record-batch-writer.js';
import { chunkRecords } from '../kafka/chunk-records.js';
import { BenchEventFactory } from './bench-event-factory.js';

const TOPICS = { scores: 'scores', metrics: 'metrics', dlq: 'events-dlq' };

/** A full collection before each timed run when node runs with --expose-gc (no garbage of one run is collected in the next). */
const gc = (globalThis as { gc?: () => void }).gc;

/** CPU µs (user + system) per event of `run`, which handles `events` events. */
function cpuMicrosPerEvent(events: number, run: () => void): number {
  gc?.();
  const c0 = process.cpuUsage();
  run();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / events;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

/** The bench events as slices of 1000 InputMessages (values as Buffers, as a Kafka source hands them over). */
function batches(n: number, encoding: 'json' | 'binary'): InputBatch[] {
  const f = new BenchEventFactory({ seed: 1 });
  const out: InputBatch[] = [];
  const ts = 1_732_300_000_000;
  for (let start = 0; start < n; start += 1000) {
    const messages: InputMessage[] = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) {
      const id = `b-${i}`;
      const value = encoding === 'binary' ? f.nextBinary(id, ts) : Buffer.from(f.next(id, ts));
      messages.push({ topic: 'events', partition: 0, offset: String(i), key: Buffer.from(id), value, timestamp: ts });
    }
    out.push({ topic: 'events', partition: 0, messages });
  }
  return out;
}

/** The four stages over `bs` with a fresh learner each, the last two also with scoreBytes; CPU µs per event. */
function stages(bs: InputBatch[], n: number, options: LearnerOptions, bytesFirst = false): Record<string, number> {
  const fresh = (): OnlineLearner => new OnlineLearner(options, 'bench');
  const decode = (() => {
    const l = fresh();
    const ev = l.newEvent();
    return cpuMicrosPerEvent(n, () => {
      for (const b of bs) for (const m of b.messages) if (l.decoder.decode(m.value, ev) !== null) throw new Error('rejected');
    });
  })();
  const learn = (() => {
    const l = fresh();
    const ev = l.newEvent();
    const out = l.newScore();
    return cpuMicrosPerEvent(n, () => {
      for (const b of bs) {
        for (const m of b.messages) {
          if (l.decoder.decode(m.value, ev) !== null) throw new Error('rejected');
          l.process(ev, out, Number(m.offset));
        }
      }
    });
  })();
  const records = (scoreBytes: boolean): number => {
    const p = new BatchProcessor({ learner: fresh(), topics: TOPICS, metricsEvery: 10_000, scoreBytes });
    return cpuMicrosPerEvent(n, () => {
      for (const b of bs) p.processBatch(b);
    });
  };
  const encode = (scoreBytes: boolean): number => {
    const p = new BatchProcessor({ learner: fresh(), topics: TOPICS, metricsEvery: 10_000, scoreBytes });
    const w = new RecordBatchWriter();
    return cpuMicrosPerEvent(n, () => {
      for (const b of bs) {
        const r = p.processBatch(b);
        for (const chunk of chunkRecords(r.records)) {
          w.reset();
          w.beginBatch(0, 1, 0, 0, Date.now());
          for (const rec of chunk) if (rec.topic === TOPICS.scores) w.appendRecord(rec.key, rec.value, rec.headers);
          w.endBatch(false);
        }
      }
    });
  };
  // strings then bytes, or (bytesFirst) bytes then strings: the garbage of one run is collected in
  // the next, so the order alternates between passes
  const first = (bytes: boolean): [number, number] => [records(bytes), encode(bytes)];
  const [recordsA, encodeA] = first(bytesFirst);
  const [recordsB, encodeB] = first(!bytesFirst);
  return bytesFirst
    ? { decode, learn, records: recordsB, encode: encodeB, recordsBytes: recordsA, encodeBytes: encodeA }
    : { decode, learn, records: recordsA, encode: encodeA, recordsBytes: recordsB, encodeBytes: encodeB };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { events: { type: 'string' }, reps: { type: 'string' } }, strict: true });
  const n = Number(values.events ?? 200_000);
  const reps = Number(values.reps ?? 5);
  const options = runConfigFromFlags({}, {}).learner;
  const result: Record<string, unknown> = {};
  for (const encoding of ['json', 'binary'] as const) {
    const bs = batches(n, encoding);
    stages(bs, n, options); // warm-up
    const runs = Array.from({ length: reps }, (_, i) => stages(bs, n, options, i % 2 === 1));
    const m = (k: string): number => round(median(runs.map((r) => r[k])));
    const decode = m('decode');
    const learn = m('learn');
    const records = m('records');
    const encode = m('encode');
    const recordsBytes = m('recordsBytes');
    const encodeBytes = m('encodeBytes');
    result[encoding] = {
      cpuMicrosPerEvent: { decode, decodeLearn: learn, processBatch: records, processBatchAndRecordBatch: encode },
      steps: { decode, learn: round(learn - decode), scoreJsonAndRecords: round(records - learn), recordBatch: round(encode - records) },
      scoreBytes: {
        processBatch: recordsBytes,
        processBatchAndRecordBatch: encodeBytes,
        savedProcessBatch: round(records - recordsBytes),
        savedProcessBatchAndRecordBatch: round(encode - encodeBytes),
        // the same difference per pass (paired), median: less noisy than the difference of medians
        pairedSavedProcessBatchAndRecordBatch: round(median(runs.map((r) => r.encode - r.encodeBytes))),
      },
    };
  }
  const c = cpus();
  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'learner-pipeline-cpu',
        machine: { cpuModel: c[0]?.model ?? 'unknown', cores: c.length, node: process.version, loadAverage1m: round(loadavg()[0]) },
        config: { events: n, reps, slice: 1000, learner: 'logit run defaults', gcBeforeEachRun: gc !== undefined, note: 'CPU µs per event, median of the reps; no Kafka client involved' },
        ...result,
      },
      null,
      2,
    )}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`pipeline-bench: error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
