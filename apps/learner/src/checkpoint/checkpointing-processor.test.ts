import { OnlineLearner, encodeState } from '@logit-stream/core';
import { describe, expect, it } from 'vitest';
import type { InputBatch, InputMessage, OutputRecord } from '../io/types.js';
import { BatchProcessor } from '../pipeline/batch-processor.js';
import { CheckpointingProcessor } from './checkpointing-processor.js';
import { snapshotSeq } from './snapshot-keys.js';
import { decodeSnapshotValue } from './snapshot-value.js';

const topics = { scores: 'scores', metrics: 'metrics', dlq: 'dlq' };
const silent = { info() {}, warn() {}, error() {}, debug() {} };

function message(i: number): InputMessage {
  const x1 = ((i * 37) % 101) / 50 - 1;
  const x2 = ((i * 53) % 97) / 48 - 1;
  const value = JSON.stringify({ id: `e-${i}`, ts: 1_700_000_000_000 + i, features: { x1, x2 }, label: 2 * x1 - x2 > 0 ? 1 : 0 });
  return { topic: 'events', partition: 0, offset: String(i), key: null, value: Buffer.from(value), timestamp: 0 };
}

function batch(from: number, to: number): InputBatch {
  const messages: InputMessage[] = [];
  for (let i = from; i < to; i++) messages.push(message(i));
  return { topic: 'events', partition: 0, messages };
}

function make(learner: OnlineLearner, restored: { seq: number; offsets: { topic: string; partition: number; next: string }[] } | null = null, seek?: (t: string, p: number, o: string) => void) {
  return new CheckpointingProcessor({
    inner: new BatchProcessor({ learner, topics, metricsEvery: 1_000_000, metricsIntervalMs: 1e12, now: () => 0 }),
    learner,
    topic: 'snaps',
    keyBase: 'g/l/',
    groupId: 'g',
    every: 500,
    intervalMs: 1e12,
    now: () => 0,
    restored,
    seek,
    logger: silent,
  });
}

const opts = { features: { kind: 'hashed' as const, bits: 12, seed: 0 } };
const scoresOf = (records: readonly OutputRecord[]) => records.filter((r) => r.topic === 'scores').map((r) => String(r.value));

describe('CheckpointingProcessor', () => {
  it('commits only with a snapshot, at the snapshot offsets (every 500 events, checked after each batch of 200)', () => {
    const p = make(new OnlineLearner(opts, 'l'));
    const commits: string[] = [];
    let snapshots = 0;
    for (let i = 0; i < 2000; i += 200) {
      const r = p.processBatch(batch(i, i + 200));
      if (r.after !== undefined) {
        snapshots++;
        expect(r.after[0].topic).toBe('snaps');
        expect(decodeSnapshotValue(r.after[0].value as Buffer).offsets).toEqual([{ topic: 'events', partition: 0, next: String(i + 200) }]);
      } else expect(r.commits).toEqual([]);
      for (const c of r.commits) commits.push(c.offset);
    }
    // 600, 1200, 1800 events since the last snapshot reach 500 after the 3rd, 6th and 9th batch.
    expect(commits).toEqual(['600', '1200', '1800']);
    expect(snapshots).toBe(3);
  });

  it('a learner restored from a snapshot and fed again from an older offset ends bit for bit like an uninterrupted one, with identical re-sent scores', () => {
    const straight = make(new OnlineLearner(opts, 'l'));
    const straightScores: string[] = [];
    for (let i = 0; i < 3000; i += 250) straightScores.push(...scoresOf(straight.processBatch(batch(i, i + 250)).records));

    // First life: 1750 events, snapshots after 500, 1000, 1500; "crash" after 1750.
    const first = make(new OnlineLearner(opts, 'l'));
    let lastSnapshot: Buffer | null = null;
    const seen: string[] = [];
    for (let i = 0; i < 1750; i += 250) {
      const r = first.processBatch(batch(i, i + 250));
      seen.push(...scoresOf(r.records));
      if (r.after !== undefined) lastSnapshot = r.after[0].value as Buffer;
    }
    const snap = decodeSnapshotValue(lastSnapshot);
    expect(snap.offsets[0].next).toBe('1500');
    // Second life: restored; the group's committed offset is older (1000), so 500 messages are dropped as already learned.
    const learner = OnlineLearner.fromState(snap.state);
    const second = make(learner, { seq: snapshotSeq(snap), offsets: [...snap.offsets] });
    for (let i = 1000; i < 3000; i += 250) seen.push(...scoresOf(second.processBatch(batch(i, i + 250)).records));
    expect(second.skipped).toBe(500);
    // Every event scored; the events 1500..1749 scored twice, identically.
    expect(seen.length).toBe(3000 + 250);
    expect(seen.slice(1750, 2000)).toEqual(seen.slice(1500, 1750));
    expect([...seen.slice(0, 1750), ...seen.slice(2000)]).toEqual(straightScores);
    const a = encodeState(learner.toState());
    const b = encodeState((straight as unknown as { o: { learner: OnlineLearner } }).o.learner.toState());
    expect(a === b).toBe(true);
  });

  it('a delivery beyond the restored position is dropped and the partition sought back to it', () => {
    const sought: string[] = [];
    const learner = new OnlineLearner(opts, 'l');
    const p = make(learner, { seq: 4, offsets: [{ topic: 'events', partition: 0, next: '1500' }] }, (t, part, o) => sought.push(`${t}[${part}]@${o}`));
    const r = p.processBatch(batch(2000, 2100));
    expect(r).toEqual({ records: [], commits: [], events: 0 });
    expect(sought).toEqual(['events[0]@1500']);
    expect(learner.eventsSeen).toBe(0);
    expect(p.processBatch(batch(1500, 1600)).events).toBe(100);
  });

  it('a gap that stays after seeking back (events removed by retention) is logged as lost and skipped, not sought forever', () => {
    const sought: string[] = [];
    const errors: string[] = [];
    const learner = new OnlineLearner(opts, 'l');
    const p = new CheckpointingProcessor({
      inner: new BatchProcessor({ learner, topics, now: () => 0 }),
      learner,
      topic: 'snaps',
      keyBase: 'g/l/',
      groupId: 'g',
      every: 500,
      intervalMs: 1e12,
      now: () => 0,
      restored: { seq: 1, offsets: [{ topic: 'events', partition: 0, next: '100' }] },
      seek: (_t, _p, o) => sought.push(o),
      logger: { ...silent, error: (_o: unknown, m: string) => void errors.push(m) },
    });
    expect(p.processBatch(batch(400, 450)).events).toBe(0);
    expect(p.processBatch(batch(400, 450)).events).toBe(50);
    expect(sought).toEqual(['100']);
    expect(errors.length).toBe(1);
    expect(errors[0]).toMatch(/offsets 100\.\.399 are no longer in the topic/);
    expect(p.positions()).toEqual([{ topic: 'events', partition: 0, offset: '450' }]);
  });
});
