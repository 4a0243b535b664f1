import { describe, expect, it } from 'vitest';
import { summarizeCpuProfile, type CpuProfile } from './cpu-profile-summary.js';

const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });

describe('summarizeCpuProfile', () => {
  it('charges each sample interval to the function it hit, shares of busy time, idle apart', () => {
    const p: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', '') },
        { id: 2, callFrame: frame('(idle)', '') },
        { id: 3, callFrame: frame('decode', 'file:///w/packages/core/dist/index.js', 9) },
        { id: 4, callFrame: frame('decodeMessages', 'file:///w/node_modules/.pnpm/kafkajs@2.2.4/node_modules/kafkajs/src/x.js', 4) },
        { id: 5, callFrame: frame('decode', 'file:///w/packages/core/dist/index.js', 9) }, // same function, other call path
        { id: 6, callFrame: frame('(garbage collector)', '') },
        { id: 7, callFrame: frame('processBatch', 'file:///tmp/copy/dist/chunk-A.js', 99) },
      ],
      // intervals charged: 3 → 3000 µs, 4 → 1000, 5 → 2000, 2 → 4000 (idle), 6 → 2000, last sample → 0
      samples: [3, 4, 5, 2, 6, 3],
      timeDeltas: [0, 3000, 1000, 2000, 4000, 2000],
    };
    const s = summarizeCpuProfile(p, 2);
    expect(s.busyMs).toBe(8);
    expect(s.idleMs).toBe(4);
    expect(s.top).toEqual([
      { name: 'decode index.js:10', selfMs: 5, percent: 62.5 },
      { name: '(garbage collector)', selfMs: 2, percent: 25 },
    ]);
    expect(s.areas).toEqual([
      { name: 'core', selfMs: 5, percent: 62.5 },
      { name: 'gc', selfMs: 2, percent: 25 },
      { name: 'kafkajs', selfMs: 1, percent: 12.5 },
    ]);
  });

  it('puts a learner bundle outside apps/learner/ in the learner area when told its URL prefix', () => {
    const p: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('processBatch', 'file:///tmp/copy/dist/chunk-A.js', 99) },
        { id: 2, callFrame: frame('x', 'file:///elsewhere/y.js') },
      ],
      samples: [1, 2, 1],
      timeDeltas: [0, 1000, 3000],
    };
    expect(summarizeCpuProfile(p, 5, 'file:///tmp/copy/dist/').areas).toEqual([
      { name: 'other', selfMs: 3, percent: 75 },
      { name: 'learner', selfMs: 1, percent: 25 },
    ]);
    expect(summarizeCpuProfile(p).areas.map((a) => a.name)).toEqual(['other']);
  });
});
