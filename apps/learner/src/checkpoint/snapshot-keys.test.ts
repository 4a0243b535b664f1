import { CoreError } from '@logit-stream/core';
import { describe, expect, it } from 'vitest';
import { snapshotKey, snapshotKeyBase, snapshotSeq } from './snapshot-keys.js';

describe('snapshot keys', () => {
  it('alternate between two keys per learner, so compaction keeps the last two snapshots', () => {
    const base = snapshotKeyBase('g', 'learner-0');
    expect(base).toBe('g/learner-0/');
    expect([1, 2, 3, 4].map((s) => snapshotKey(base, s))).toEqual(['g/learner-0/1', 'g/learner-0/0', 'g/learner-0/1', 'g/learner-0/0']);
  });

  it('snapshotSeq reads config.seq and refuses a snapshot without one', () => {
    const p = { learnerId: 'l', createdAt: 0, offsets: [], state: {} };
    expect(snapshotSeq({ ...p, config: { seq: 7 } })).toBe(7);
    expect(() => snapshotSeq({ ...p, config: null })).toThrow(CoreError);
    expect(() => snapshotSeq({ ...p, config: { seq: 0 } })).toThrow(/config.seq 0/);
  });
});
