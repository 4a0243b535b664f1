import { OnlineLearner, type SnapshotPayload } from '@logit-stream/core';
import { describe, expect, it } from 'vitest';
import type { InputBatch, InputMessage, OutputRecord } from '../io/types.js';
import { BatchProcessor } from '../pipeline/batch-processor.js';
import { CheckpointingProcessor, type GroupPeers, type RestoredPosition } from './checkpointing-processor.js';
import type { PeerSnapshot } from './group-snapshots.js';
import { snapshotSeq } from './snapshot-keys.js';
import { decodeSnapshotValue } from './snapshot-value.js';

const topics = { scores: 'scores', metrics: 'metrics', dlq: 'dlq' };
const silent = { info() {}, warn() {}, error() {}, debug() {} };
const opts = { features: { kind: 'dense' as const, dim: 2 } };

function message(partition: number, i: number): InputMessage {
  const x1 = ((i * 37 + partition * 11) % 101) / 50 - 1;
  const x2 = ((i * 53 + partition * 7) % 97) / 48 - 1;
  const value = JSON.stringify({ id: `e-${partition}-${i}`, features: [x1, x2], label: 2 * x1 - x2 > 0 ? 1 : 0 });
  return { topic: 'events', partition, offset: String(i), key: null, value: Buffer.from(value), timestamp: 0 };
}

function batch(partition: number, from: number, to: number): InputBatch {
  const messages: InputMessage[] = [];
  for (let i = from; i < to; i++) messages.push(message(partition, i));
  return { topic: 'events', partition, messages };
}

/** An in-memory group: the newest snapshot per learner id, as GroupSnapshots would hold it. */
class FakeGroup implements GroupPeers {
  readonly latest = new Map<string, PeerSnapshot>();
  constructor(private readonly self: string) {}
  publish(record: OutputRecord): void {
    const payload = decodeSnapshotValue(record.value as Buffer);
    if (payload.learnerId === this.self) return;
    const c = payload.config as { learned: number };
    this.latest.set(payload.learnerId, { learnerId: payload.learnerId, seq: snapshotSeq(payload), learned: c.learned, payload });
  }
  hasPeers(): boolean {
    return this.latest.size > 0;
  }
  peers(): PeerSnapshot[] {
    return [...this.latest.values()];
  }
  peerPosition(topic: string, partition: number): number | null {
    let best: number | null = null;
    for (const p of this.latest.values()) for (const o of p.payload.offsets) if (o.topic === topic && o.partition === partition) best = Math.max(best ?? -1, Number(o.next));
    return best;
  }
}

function make(id: string, group: GroupPeers, o: { restored?: RestoredPosition; seek?: (t: string, p: number, off: string) => void; learner?: OnlineLearner } = {}) {
  const learner = o.learner ?? new OnlineLearner(opts, id);
  const p = new CheckpointingProcessor({
    inner: new BatchProcessor({ learner, topics, metricsEvery: 1_000_000, metricsIntervalMs: 1e12, now: () => 0 }),
    learner,
    topic: 'snaps',
    keyBase: `g/${id}/`,
    groupId: 'g',
    every: 1_000_000,
    intervalMs: 1e12,
    now: () => 0,
    restored: o.restored ?? null,
    seek: o.seek,
    group,
    mix: { every: 100, intervalMs: 1e12 },
    logger: silent,
  });
  return { learner, p };
}

const payloadOf = (r: { after?: readonly OutputRecord[] }): SnapshotPayload => decodeSnapshotValue(r.after?.[0].value as Buffer);

describe('CheckpointingProcessor in a group (scale-out)', () => {
  it('snapshots at the mix cadence only once a peer exists, and mixes each peer snapshot once, weighted by events learned since the last mix', () => {
    const ga = new FakeGroup('a');
    const gb = new FakeGroup('b');
    const a = make('a', ga);
    const b = make('b', gb);
    a.p.assign({ events: [0] });
    b.p.assign({ events: [1] });
    // no peers yet: 100 events do not make a snapshot (snapshot cadence is 1e6)
    expect(a.p.processBatch(batch(0, 0, 100)).after).toBeUndefined();
    // b writes its final snapshot (a peer appears)
    b.p.processBatch(batch(1, 0, 300));
    const fb = b.p.finalSnapshot();
    expect(fb).not.toBeNull();
    ga.publish(fb!.record);
    const vb = b.learner.modelVersion;
    expect(vb).toBe(300);
    // a's next batch is due (peer exists, 150 ≥ 100 since its last mix): a mixes b in with weights 150 : 300
    const r = a.p.processBatch(batch(0, 100, 150));
    expect(r.after).toBeDefined();
    expect(a.p.mixes).toBe(1);
    expect(a.learner.modelVersion).toBe(150 + 300);
    const snap = payloadOf(r);
    expect((snap.config as { learned: number; mixed: unknown }).learned).toBe(150);
    expect((snap.config as { mixed: unknown }).mixed).toEqual({ b: { seq: 1, learned: 300 } });
    // the same peer snapshot is not mixed twice
    a.p.processBatch(batch(0, 150, 300));
    expect(a.p.mixes).toBe(1);
    expect(a.p.peersMixed).toBe(1);
  });

  it('mixes the weighted average: a fresh learner with weight 0 since its last mix becomes the peer', () => {
    const ga = new FakeGroup('a');
    const b = make('b', new FakeGroup('b'));
    b.p.assign({ events: [1] });
    b.p.processBatch(batch(1, 0, 400));
    ga.publish(b.p.finalSnapshot()!.record);
    const a = make('a', ga);
    a.p.assign({ events: [0] });
    // an unlabelled-only batch learns nothing: own weight 0 → a's model is b's
    const unlabelled: InputBatch = {
      topic: 'events',
      partition: 0,
      messages: Array.from({ length: 100 }, (_, i) => ({ ...message(0, i), value: Buffer.from(JSON.stringify({ id: `u-${i}`, features: [0.1, 0.2], label: null })) })),
    };
    a.p.processBatch(unlabelled);
    expect(a.p.mixes).toBe(1);
    expect(a.learner.exportModel().weights).toEqual(b.learner.exportModel().weights);
    expect(a.learner.exportModel().bias).toBe(b.learner.exportModel().bias);
  });

  it('a partition that moves here continues at its previous owner\'s snapshot position: below it is skipped, beyond it is not sought back', () => {
    const ga = new FakeGroup('a');
    const b = make('b', new FakeGroup('b'));
    b.p.assign({ events: [1] });
    b.p.processBatch(batch(1, 0, 250));
    ga.publish(b.p.finalSnapshot()!.record); // b's snapshot: events[1] next = 250
    const seeks: string[] = [];
    const a = make('a', ga, { seek: (t, p, o) => seeks.push(`${t}[${p}]@${o}`) });
    a.p.assign({ events: [0, 1] });
    // delivered from the group's committed offset 200 (older than b's snapshot): 200..249 skipped
    const r = a.p.processBatch(batch(1, 200, 300));
    expect(r.events).toBe(50);
    expect(a.p.skipped).toBe(50);
    // another partition moving here, delivered beyond any snapshot position seen: continue, no seek
    const c = make('c', new FakeGroup('c'));
    c.p.assign({ events: [2] });
    c.p.processBatch(batch(2, 0, 100));
    ga.publish(c.p.finalSnapshot()!.record); // events[2] next = 100
    a.p.assign({ events: [0, 1, 2] });
    expect(a.p.processBatch(batch(2, 180, 200)).events).toBe(20);
    expect(seeks).toEqual([]);
    expect(a.p.seeks).toBe(0);
  });

  it('commits only the partitions assigned now', () => {
    const a = make('a', new FakeGroup('a'));
    a.p.assign({ events: [0, 1] });
    a.p.processBatch(batch(0, 0, 50));
    a.p.processBatch(batch(1, 0, 50));
    a.p.assign({ events: [1] });
    expect(a.p.finalSnapshot()!.commits).toEqual([{ topic: 'events', partition: 1, offset: '50' }]);
  });

  it('a restored learner does not mix again what its snapshot says it mixed', () => {
    const ga = new FakeGroup('a');
    const b = make('b', new FakeGroup('b'));
    b.p.assign({ events: [1] });
    b.p.processBatch(batch(1, 0, 300));
    ga.publish(b.p.finalSnapshot()!.record);
    const a = make('a', ga, { restored: { seq: 4, offsets: [], learned: 1000, mixed: { b: { seq: 1, learned: 300 } } } });
    a.p.assign({ events: [0] });
    const r = a.p.processBatch(batch(0, 0, 200));
    expect(a.p.mixes).toBe(0);
    expect(snapshotSeq(payloadOf(r))).toBe(5);
    expect((payloadOf(r).config as { learned: number }).learned).toBe(1200);
  });

  it('a peer trained with other options is left out (logged once) and does not stop the mix with the others', () => {
    const ga = new FakeGroup('a');
    const b = make('b', new FakeGroup('b'));
    const c = make('c', new FakeGroup('c'), { learner: new OnlineLearner({ ...opts, learningRate: 0.5 }, 'c') });
    b.p.assign({ events: [1] });
    c.p.assign({ events: [2] });
    b.p.processBatch(batch(1, 0, 200));
    c.p.processBatch(batch(2, 0, 200));
    ga.publish(b.p.finalSnapshot()!.record);
    ga.publish(c.p.finalSnapshot()!.record);
    const errors: string[] = [];
    const learner = new OnlineLearner(opts, 'a');
    const a = new CheckpointingProcessor({
      inner: new BatchProcessor({ learner, topics, metricsEvery: 1_000_000, metricsIntervalMs: 1e12, now: () => 0 }),
      learner,
      topic: 'snaps',
      keyBase: 'g/a/',
      groupId: 'g',
      every: 1_000_000,
      intervalMs: 1e12,
      now: () => 0,
      group: ga,
      mix: { every: 100, intervalMs: 1e12 },
      logger: { ...silent, error: (_o: unknown, m?: string) => errors.push(String(m)) },
    });
    a.assign({ events: [0] });
    a.processBatch(batch(0, 0, 100));
    expect(a.mixes).toBe(1);
    expect(a.peersMixed).toBe(1);
    expect(learner.modelVersion).toBe(100 + 200);
    expect(errors).toEqual([expect.stringMatching(/not mixing learner c's model: it was trained with other learning options/)]);
    // c publishes again: still left out, not logged again
    c.p.processBatch(batch(2, 200, 300));
    ga.publish(c.p.finalSnapshot()!.record);
    a.processBatch(batch(0, 100, 200));
    expect(errors.length).toBe(1);
  });

  it('a moved partition whose previous owner\'s snapshot arrives after the assignment still starts at that snapshot\'s position (looked up again at the first delivery)', () => {
    const ga = new FakeGroup('a');
    const other = make('z', new FakeGroup('z'));
    other.p.assign({ events: [5] });
    other.p.processBatch(batch(5, 0, 10));
    ga.publish(other.p.finalSnapshot()!.record); // a peer exists (another partition)
    const b = make('b', new FakeGroup('b'));
    b.p.assign({ events: [1] });
    b.p.processBatch(batch(1, 0, 250));
    const a = make('a', ga);
    a.p.assign({ events: [0, 1] }); // b's snapshot of events[1] is not there yet
    ga.publish(b.p.finalSnapshot()!.record); // … now it is: next = 250
    const r = a.p.processBatch(batch(1, 200, 300));
    expect(r.events).toBe(50);
    expect(a.p.skipped).toBe(50);
    expect(a.p.seeks).toBe(0);
  });
});
