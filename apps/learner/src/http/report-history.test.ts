import { describe, expect, it } from 'vitest';
import type { PublishedMetrics } from '../pipeline/batch-processor.js';
import { ReportHistory } from './report-history.js';

function rep(seen: number, recent: { key: string; position: number }[] = []): PublishedMetrics {
  return {
    ts: seen * 10,
    events: { seen },
    window: { logLoss: seen / 1000, ece: 0.01 },
    total: { logLoss: null, ece: 0.02 },
    throughput: 100,
    lagMs: 5,
    drift: { recent: recent.map((r) => ({ ...r, detector: 'adwin', model: 'live', offset: r.position, ts: null })) },
  } as unknown as PublishedMetrics;
}

describe('ReportHistory', () => {
  it('records each new report once, keeps the last `capacity`, and collects drift detections across reports', () => {
    const h = new ReportHistory(3);
    const a = rep(100, [{ key: 'adwin/live', position: 50 }]);
    h.record(a, null);
    h.record(a, null); // the same report again: ignored
    h.record(null, null);
    h.record(rep(200, [{ key: 'adwin/live', position: 50 }, { key: 'adwin/live', position: 180 }]), 7);
    h.record(rep(300), 3);
    h.record(rep(400), 0);
    const s = h.series();
    expect(s.events).toEqual([200, 300, 400]);
    expect(s.logLossWindow).toEqual([0.2, 0.3, 0.4]);
    expect(s.logLossTotal).toEqual([null, null, null]);
    expect(s.consumerLag).toEqual([7, 3, 0]);
    expect(Object.values(s).every((col) => col.length === 3)).toBe(true);
    expect(h.driftEvents().map((d) => d.position)).toEqual([50, 180]);
    h.record(rep(10), 0); // x never goes back (a restarted learner's report)
    expect(h.series().events).toEqual([200, 300, 400]);
  });
});
