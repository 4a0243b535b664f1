import { describe, expect, it } from 'vitest';
import { benchEventEncodings } from './encoding-bench.js';

describe('benchEventEncodings', () => {
  it('runs both cases on a small count: positive timings, the binary messages smaller, no allocation figure without probes', () => {
    const r = benchEventEncodings({ events: 2000 });
    expect(r.map((c) => c.case)).toEqual(['named20', 'dense100']);
    for (const c of r) {
      expect(c.jsonNsPerEvent).toBeGreaterThan(0);
      expect(c.binaryNsPerEvent).toBeGreaterThan(0);
      expect(c.jsonSlowNsPerEvent).toBeGreaterThan(0);
      expect(c.speedup).toBeCloseTo(c.jsonNsPerEvent / c.binaryNsPerEvent, 0);
      expect(c.jsonAllocBytesPerEvent).toBeNull();
      expect(c.jsonSlowAllocBytesPerEvent).toBeNull();
    }
    // named20: 4 + 2 + 8 (id "b-100000") + 8 (ts) + 8 (label) + 4 + 20 × (2 + 3 + 8) bytes
    expect(r[0].binaryBytes).toBe(294);
    expect(r[0].jsonBytes).toBeGreaterThan(r[0].binaryBytes);
    expect(r[1].binaryBytes).toBe(4 + 2 + 8 + 8 + 8 + 4 + 800);
  });

  it('measures heap growth through the probes it is given (3 + 7 runs each: JSON fast, JSON slow, binary)', () => {
    let gcs = 0;
    let heap = 0;
    const r = benchEventEncodings({ events: 1000, cases: ['dense100'], memory: { gc: () => gcs++, heapUsed: () => (heap += 500 * 8) } });
    expect(r).toHaveLength(1);
    expect(gcs).toBe(30);
    // the fake heap grows 4000 bytes between the two reads of each run: 4000 / 500 events = 8 B per event
    expect(r[0].jsonAllocBytesPerEvent).toBe(8);
    expect(r[0].binaryAllocBytesPerEvent).toBe(8);
    expect(r[0].jsonSlowAllocBytesPerEvent).toBe(8);
  });
});
