import { describe, expect, it } from 'vitest';
import { BrierMetric } from './brier-metric.js';
import { LogLossMetric } from './log-loss-metric.js';
import { PairWindow } from './pair-window.js';

describe('PairWindow', () => {
  it('keeps the last `capacity` pairs oldest first and reports each evicted pair', () => {
    const w = new PairWindow(3);
    expect(w.push(1, 0.1)).toBe(false);
    expect(w.push(0, 0.2)).toBe(false);
    expect(w.push(1, 0.3)).toBe(false);
    expect(w.push(0, 0.4)).toBe(true);
    expect([w.evictedY, w.evictedP]).toEqual([1, 0.1]);
    expect(w.push(1, 0.5)).toBe(true);
    expect([w.evictedY, w.evictedP]).toEqual([0, 0.2]);
    expect(w.size).toBe(3);
    expect(w.evictions).toBe(2);
    expect([w.p(0), w.p(1), w.p(2)]).toEqual([0.3, 0.4, 0.5]);
  });

  it('replayInto rebuilds a windowed metric bit-exactly equal to a fresh metric over the window', () => {
    const w = new PairWindow(50);
    const m = new BrierMetric();
    for (let i = 0; i < 1000; i++) {
      const y = i % 3 === 0 ? 1 : 0;
      const p = ((i * 7919) % 1000) / 1000;
      if (w.push(y, p)) m.revert(w.evictedY, w.evictedP);
      m.update(y, p);
      if (w.evictions > 0 && w.evictions % w.capacity === 0) w.replayInto(m);
    }
    const fresh = new BrierMetric();
    for (let i = 950; i < 1000; i++) fresh.update(i % 3 === 0 ? 1 : 0, ((i * 7919) % 1000) / 1000);
    // the last replay was at eviction 950 (i = 999), so m was rebuilt from the final window
    expect(m.get()).toBe(fresh.get());
  });

  it('state round trip restores the same pairs; a bad capacity is refused', () => {
    const w = new PairWindow(4);
    for (let i = 0; i < 7; i++) w.push(i % 2, i / 10);
    const c = new PairWindow(4);
    c.fromState(w.toState());
    const a = new LogLossMetric();
    const b = new LogLossMetric();
    w.replayInto(a);
    c.replayInto(b);
    expect(b.get()).toBe(a.get());
    expect(c.push(1, 0.9)).toBe(true);
    expect(c.evictedP).toBe(0.3);
    expect(() => new PairWindow(0)).toThrow(/capacity 0/);
    expect(() => new PairWindow(5).fromState(w.toState())).toThrow(/capacity 5/);
  });
});
