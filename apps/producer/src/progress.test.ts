import { describe, expect, it } from 'vitest';
import { Progress } from './progress.js';

function stream(isTTY: boolean) {
  const out: string[] = [];
  return { out, s: { isTTY, columns: 100, write: (t: string) => out.push(t) } };
}

describe('Progress', () => {
  it('on a terminal: redraws one bar in place, at most every 100 ms', () => {
    let t = 0;
    const { out, s } = stream(true);
    const p = new Progress({ stream: s, total: 2000, label: 'events', clock: () => t });
    t = 1000;
    p.update(1000);
    t = 1050;
    p.update(1050); // too soon: not drawn
    t = 1200;
    p.update(1200);
    p.done(2000);
    expect(out.length).toBe(3);
    expect(out[0]).toMatch(/^\r\[#{20}-{20}\]  50%  1000\/2000  1000 ev\/s  ETA 1s\x1b\[K$/);
    expect(out[2].endsWith('\n')).toBe(true);
    expect(out[2]).toContain('100%');
  });

  it('elsewhere: plain lines every lineEveryMs, no control characters', () => {
    let t = 0;
    const { out, s } = stream(false);
    const p = new Progress({ stream: s, total: null, label: 'events', clock: () => t, lineEveryMs: 5000 });
    for (t = 0; t <= 12_000; t += 500) p.update(t);
    p.done(12_000);
    expect(out).toEqual(['produce events: 5000 sent, 1000 ev/s\n', 'produce events: 10000 sent, 1000 ev/s\n', 'produce events: 12000 sent, 960 ev/s\n']); // done() at t = 12.5 s: 12000 / 12.5
  });
});
