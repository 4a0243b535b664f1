import { describe, expect, it } from 'vitest';
import { scoreDetections } from './score-detections.js';

describe('scoreDetections', () => {
  it('splits detections into delays, repeats and false alarms (the doc example)', () => {
    expect(scoreDetections([100, 5200, 5300, 9000], [5000], 10_000, 2000)).toEqual({
      delays: [200],
      missed: 0,
      falseAlarms: 2,
      repeats: 1,
      stationaryEvents: 8000,
      falseAlarmsPer100k: 25,
    });
  });

  it('counts a change as missed when its window closes without a detection, and cuts windows at the next change', () => {
    const s = scoreDetections([12_600, 26_000, 37_400, 37_500], [12_500, 25_000, 37_500], 50_000, 5000);
    expect(s.delays).toEqual([100, 1000, 0]);
    expect(s.missed).toBe(0);
    expect(s.falseAlarms).toBe(1); // 37 400 is before the third change
    const m = scoreDetections([31_000], [12_500, 25_000], 30_000, 5000);
    expect(m.delays).toEqual([null, null]);
    expect(m.missed).toBe(2);
    expect(m.stationaryEvents).toBe(20_000);
    const close = scoreDetections([1500], [1000, 1200], 3000, 5000);
    expect(close.delays).toEqual([null, 300]); // window of change 1 ends at 1200
  });

  it('treats every detection on a stationary stream as a false alarm', () => {
    const s = scoreDetections([10, 20, 30], [], 200_000, 1000);
    expect(s.falseAlarms).toBe(3);
    expect(s.falseAlarmsPer100k).toBe(1.5);
  });
});
