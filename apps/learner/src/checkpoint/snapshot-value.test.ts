import { gunzipSync, gzipSync } from 'node:zlib';
import { CoreError, OnlineLearner, encodeState } from '@logit-stream/core';
import { describe, expect, it } from 'vitest';
import { decodeSnapshotValue, encodeSnapshotValue } from './snapshot-value.js';

function payload() {
  const learner = new OnlineLearner({ features: { kind: 'hashed', bits: 18, seed: 0 } }, 'l-0');
  const ev = learner.newEvent();
  const out = learner.newScore();
  for (let i = 0; i < 200; i++) {
    expect(learner.decoder.decodeObject({ id: `e-${i}`, features: { a: (i % 7) / 7, b: 1 }, label: i % 2 }, ev)).toBeNull();
    learner.process(ev, out, i);
  }
  return { learnerId: 'l-0', createdAt: 1, offsets: [{ topic: 'events', partition: 0, next: '200' }], state: learner.toState(), config: { seq: 1 } };
}

describe('snapshot record values', () => {
  it('round-trips the learner state bit for bit (encodeState of both is identical) and gzip keeps a 2^18-slot model small', () => {
    const p = payload();
    const v = encodeSnapshotValue(p);
    const back = decodeSnapshotValue(v);
    // Key order may differ (the envelope is canonical JSON): compare the states of the restored learners.
    const a = encodeState(OnlineLearner.fromState(back.state).toState());
    const b = encodeState(OnlineLearner.fromState(p.state).toState());
    expect(a === b).toBe(true);
    expect(back.offsets).toEqual(p.offsets);
    const plain = gunzipSync(v).length;
    // 2^18 float64 weights alone are 2 MiB (2.8 MB as base64): compressed, a sparse model is a small fraction.
    expect(plain).toBeGreaterThan(2_000_000);
    expect(v.length).toBeLessThan(plain / 20);
  });

  it('refuses a body whose checksum does not match (one digit of the state changed) with a bad-snapshot error', () => {
    const text = gunzipSync(encodeSnapshotValue(payload())).toString('utf8');
    const i = text.indexOf('"createdAt":1');
    expect(i).toBeGreaterThan(0);
    const damaged = gzipSync(Buffer.from(text.slice(0, i) + '"createdAt":2' + text.slice(i + 13)));
    expect(() => decodeSnapshotValue(damaged)).toThrow(/checksum mismatch/);
    try {
      decodeSnapshotValue(damaged);
    } catch (e) {
      expect(e).toBeInstanceOf(CoreError);
      expect((e as CoreError).code).toBe('bad-snapshot');
    }
  });

  it('refuses a damaged gzip stream, an empty value and a non-snapshot', () => {
    const v = Buffer.from(encodeSnapshotValue(payload()));
    v[Math.floor(v.length / 2)] ^= 0xff;
    expect(() => decodeSnapshotValue(v)).toThrow(/gzip stream is damaged|checksum|corrupt/);
    expect(() => decodeSnapshotValue(null)).toThrow(/no value/);
    expect(() => decodeSnapshotValue(Buffer.from('{"format":"x"}'))).toThrow(/not a logit-stream snapshot/);
  });
});
