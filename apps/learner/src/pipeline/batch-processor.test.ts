import { DLQ_MAX_KEY_BYTES, OnlineLearner } from '@logit-stream/core';
import { describe, expect, it } from 'vitest';
import type { InputBatch } from '../io/types.js';
import { BatchProcessor, type PublishedMetrics } from './batch-processor.js';

const topics = { scores: 'scores', metrics: 'metrics', dlq: 'events-dlq' };

function batch(values: (string | null)[], first = 0, timestamp = 100): InputBatch {
  return {
    topic: 'events',
    partition: 3,
    messages: values.map((v, i) => ({
      topic: 'events',
      partition: 3,
      offset: String(first + i),
      key: i % 2 === 0 ? Buffer.from(`key-${first + i}`) : null,
      value: v === null ? null : Buffer.from(v),
      timestamp,
    })),
  };
}

describe('BatchProcessor', () => {
  it('scoreBytes: the records of the same batches are equal byte for byte with and without it (score values as Buffers, still valid after later batches)', () => {
    const make = (scoreBytes: boolean) =>
      new BatchProcessor({ learner: new OnlineLearner({ features: { kind: 'dense', dim: 2 } }, 'l-ü"1'), topics, now: () => 1000, metricsEvery: 700, scoreBytes });
    const [plain, bytes] = [make(false), make(true)];
    let seed = 9;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const ids = ['a', 'é\n"\\', '😀\ud800', 'x'.repeat(240), '\u0001'];
    const batches: InputBatch[] = [];
    for (let b = 0, n = 0; b < 4; b++) {
      const values: (string | null)[] = [];
      for (let i = 0; i < 900; i++, n++) {
        const k = rnd();
        if (k < 0.03) values.push(k < 0.01 ? null : '{"id":');
        else {
          const id = `${ids[Math.floor(rnd() * ids.length)]}-${n}`;
          const ts = rnd() < 0.5 ? `,"ts":${1_732_300_000_000 + n}` : '';
          const label = rnd() < 0.2 ? 'null' : String(rnd() < 0.5 ? 0 : 1);
          values.push(`{"id":${JSON.stringify(id)}${ts},"features":[${rnd() * 4 - 2},${rnd() * 1e-9}],"label":${label}}`);
        }
      }
      batches.push(batch(values, b * 900));
    }
    const held: [string, Buffer][] = [];
    for (const b of batches) {
      const [r1, r2] = [plain.processBatch(b), bytes.processBatch(b)];
      expect(r2.records.length).toBe(r1.records.length);
      expect(r2.commits).toEqual(r1.commits);
      for (let i = 0; i < r1.records.length; i++) {
        const [x, y] = [r1.records[i], r2.records[i]];
        expect([y.topic, y.key, y.headers]).toEqual([x.topic, x.key, x.headers]);
        if (x.topic === 'scores') {
          expect(typeof x.value).toBe('string');
          expect(Buffer.isBuffer(y.value)).toBe(true);
          held.push([x.value as string, y.value as Buffer]);
        } else expect(y.value).toEqual(x.value);
      }
    }
    expect(held.length).toBeGreaterThan(3000);
    expect(new Set(held.map(([, b]) => b.buffer)).size).toBeGreaterThan(4); // long ids: more than one arena chunk per batch
    const wrong = held.filter(([s, b]) => !Buffer.from(s).equals(b)).map(([s, b]) => `${s} ≠ ${b.toString()}`);
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(bytes.scored).toBe(plain.scored);
  });

  it('scores good events prequentially (modelVersion before the update), dead-letters bad ones with topic/partition/offset, commits the next offset', () => {
    let t = 1000;
    const p = new BatchProcessor({ learner: new OnlineLearner({ features: { kind: 'dense', dim: 2 } }), topics, now: () => t, metricsEvery: 1000 });
    const r = p.processBatch(
      batch([
        '{"id":"a","ts":900,"features":[1,0],"label":1}',
        '{"id":"b","features":[0,1],"label":0}',
        '{"id":',
        null,
        '{"id":"c","features":[1,1],"label":null}',
      ], 40),
    );
    expect(r.events).toBe(5);
    expect(r.commits).toEqual([{ topic: 'events', partition: 3, offset: '45' }]);
    const scores = r.records.filter((x) => x.topic === 'scores').map((x) => ({ key: x.key, s: JSON.parse(String(x.value)) as Record<string, unknown> }));
    expect(scores.map((x) => x.s.id)).toEqual(['a', 'b', 'c']);
    expect(scores.map((x) => x.s.modelVersion)).toEqual([0, 1, 2]); // c is unlabelled: scored, not learned
    expect(scores[0].s).toMatchObject({ z: 0, p: 0.5, ts: 900, label: 1 });
    // The key is the event's key, or its id when the message has none.
    expect(String(scores[0].key)).toBe('key-40');
    expect(scores[1].key).toBe('b');
    const dlq = r.records.filter((x) => x.topic === 'events-dlq').map((x) => JSON.parse(String(x.value)) as { error: { code: string }; source: unknown });
    expect(dlq.map((d) => d.error.code)).toEqual(['bad-json', 'empty']);
    expect(dlq[0].source).toEqual({ topic: 'events', partition: 3, offset: '42' });
    expect(p.scored).toBe(3);
    expect(p.rejected).toBe(2);
    expect(r.records.filter((x) => x.topic === 'metrics')).toHaveLength(0);

    // Nothing due yet; once metricsIntervalMs (5000 by default) has passed a tick reports, with throughput and lag.
    expect(p.tick()).toEqual([]);
    t = 6000;
    const [m] = p.tick();
    const report = JSON.parse(String(m.value)) as PublishedMetrics;
    expect(m.key).toBe('learner-0');
    expect(report.throughput).toBeCloseTo(5 / 5, 12); // 5 events over 5 s
    expect(report.lagMs).toBe(6000 - 100); // the last event (c) has no ts: the message timestamp counts
    expect(report.events.seen).toBe(3);
  });

  it('publishes the group id beside the learner id (the default group without groupId); the SPEC §2 fields keep their order after it; final only on the final report', () => {
    const learner = new OnlineLearner({ features: { kind: 'dense', dim: 1 } }, 'l-7');
    const keys = (groupId?: string): { keys: string[]; report: PublishedMetrics } => {
      const p = new BatchProcessor({ learner, topics, groupId, now: () => 0 });
      const report = JSON.parse(String(p.finalReport().value)) as PublishedMetrics;
      return { keys: Object.keys(report), report };
    };
    const a = keys('fraud-scorers');
    expect(a.report.groupId).toBe('fraud-scorers');
    expect(a.report.learnerId).toBe('l-7');
    expect(a.keys).toEqual(['learnerId', 'groupId', ...Object.keys(learner.report(0)).slice(1), 'throughput', 'lagMs', 'final']);
    expect(a.report.final).toBe(true); // finalReport: a clean shutdown
    expect(keys().report.groupId).toBe('logit-stream');
    // The reports before it say final: false.
    const p = new BatchProcessor({ learner, topics, metricsEvery: 1, now: () => 0 });
    const r = p.processBatch(batch(['{"id":"a","features":[1],"label":1}']));
    const [m] = r.records.filter((x) => x.topic === 'metrics');
    expect((JSON.parse(String(m.value)) as PublishedMetrics).final).toBe(false);
  });

  it('dead-letters a message with a 900 KB key under a 1 KiB key, the record saying the key was cut (P5b)', () => {
    const p = new BatchProcessor({ learner: new OnlineLearner({ features: { kind: 'dense', dim: 2 } }), topics, metricsEvery: 1000 });
    const b = batch(['{"id":']);
    const key = Buffer.alloc(900_000, 0x6b);
    const r = p.processBatch({ ...b, messages: [{ ...b.messages[0], key }] });
    const [d] = r.records.filter((x) => x.topic === 'events-dlq');
    expect((d.key as Buffer).length).toBe(DLQ_MAX_KEY_BYTES);
    const rec = JSON.parse(String(d.value)) as { key: string; keyBytes: number; keyTruncated: boolean };
    expect([rec.key.length, rec.keyBytes, rec.keyTruncated]).toEqual([DLQ_MAX_KEY_BYTES, 900_000, true]);
    expect(String(d.value).length).toBeLessThan(4000);
  });

  it('reports every N events, mid-batch, and stops at maxEvents leaving the rest uncommitted', () => {
    const p = new BatchProcessor({ learner: new OnlineLearner({ features: { kind: 'dense', dim: 1 } }), topics, metricsEvery: 3, maxEvents: 7, now: () => 0 });
    const vals = Array.from({ length: 10 }, (_, i) => `{"id":"e${i}","features":[${i % 2}],"label":${i % 2}}`);
    const r = p.processBatch(batch(vals));
    expect(r.events).toBe(7);
    expect(p.done).toBe(true);
    expect(r.commits[0].offset).toBe('7');
    expect(r.records.map((x) => x.topic)).toEqual(['scores', 'scores', 'scores', 'metrics', 'scores', 'scores', 'scores', 'metrics', 'scores']);
    expect(p.processBatch(batch(vals, 10))).toEqual({ records: [], commits: [], events: 0 });
  });
});
