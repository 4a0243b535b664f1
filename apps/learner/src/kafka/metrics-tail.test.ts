import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { GroupView } from '../http/group-view.js';
import { MetricsTail } from './metrics-tail.js';

const logger = () => {
  const warnings: string[] = [];
  const rec = (): void => undefined;
  return { warnings, log: { error: rec, info: rec, debug: rec, warn: (_f: object, m?: string) => warnings.push(m ?? '') } };
};
const report = (learnerId: string, groupId: string, ts: number, seen: number): Buffer =>
  Buffer.from(JSON.stringify({ learnerId, groupId, ts, modelVersion: seen, events: { seen }, total: { count: seen, logLoss: 0.5 }, window: {}, throughput: 10, lagMs: 1 }));

describe('MetricsTail', () => {
  it('parses each record of the metrics topic into the group view; unreadable ones are counted and logged once, old ones skipped unparsed', () => {
    const now = 1_000_000;
    const view = new GroupView({ groupId: 'g', staleAfterMs: 1000, now: () => now }); // forgets after 20 000 ms
    const { warnings, log } = logger();
    // The Kafka client is only touched by start(): accept() is the whole record path.
    const tail = new MetricsTail({ kafka: {} as Kafka, topic: 'metrics', view, logger: log, now: () => now });
    expect(tail.accept(report('a', 'g', now - 100, 5), now - 100)).toBe(true);
    expect(tail.accept(report('b', 'g', now - 50, 7))).toBe(true); // no timestamp: parsed
    expect(tail.accept(report('c', 'other', now - 50, 9), now - 50)).toBe(false);
    expect(tail.accept(Buffer.from('{"learnerId":'), now)).toBe(false);
    expect(tail.accept(null, now)).toBe(false);
    // Written 30 s ago (past the view's 20 s forget limit): not even parsed, so not counted as unreadable.
    expect(tail.accept(Buffer.from('not json'), now - 30_000)).toBe(false);
    expect([tail.received, tail.unreadable, tail.skippedOld]).toEqual([6, 2, 1]);
    expect(warnings).toEqual(['a record of the metrics topic is not a JSON report; passed over (logged once)']);
    const j = view.toJSON();
    expect(j.learners.map((r) => [r.learnerId, r.events])).toEqual([
      ['a', 5],
      ['b', 7],
    ]);
    expect(j.totals.events).toBe(12);
    expect(j.counts.otherGroup).toBe(1);
    expect(tail.caughtUp).toBe(false);
  });
});
