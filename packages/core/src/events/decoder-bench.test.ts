import { describe, expect, it } from 'vitest';
import { benchEventDecoder } from './decoder-bench.js';

describe('benchEventDecoder', () => {
  it('runs on a small count and reports positive rates and a realistic message size', () => {
    const r = benchEventDecoder({ events: 2000, features: 20 });
    expect(r.events).toBe(2000);
    expect(r.features).toBe(20);
    expect(r.eventsPerSecond).toBeGreaterThan(0);
    expect(r.parseOnlyPerSecond).toBeGreaterThan(0);
    // 20 features of ~"f12:34":0.123456 plus id/ts/label
    expect(r.meanBytes).toBeGreaterThan(300);
    expect(r.meanBytes).toBeLessThan(600);
  });

  it('runs the dense shape', () => {
    const r = benchEventDecoder({ events: 1000, features: 20, shape: 'dense' });
    expect(r.shape).toBe('dense');
    expect(r.eventsPerSecond).toBeGreaterThan(0);
    expect(r.meanBytes).toBeLessThan(300); // 20 numbers in an array, no names
  });
});
