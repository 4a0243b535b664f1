import { gunzipSync, gzipSync } from 'node:zlib';
import { CoreError, OnlineLearner, decodeSnapshot, encodeSnapshot, encodeState } from '@logit-stream/core';
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

  it('writes exactly gzip (level 1) of the envelope text, as before the byte-level writer', () => {
    const p = payload();
    const v = encodeSnapshotValue(p);
    expect(v.equals(gzipSync(Buffer.from(encodeSnapshot(p), 'utf8'), { level: 1 }))).toBe(true);
    const u = { ...p, learnerId: 'learner-ü😀', config: { note: 'é "q" \\ \n', neg: -0 } };
    expect(encodeSnapshotValue(u, 6).equals(gzipSync(Buffer.from(encodeSnapshot(u), 'utf8'), { level: 6 }))).toBe(true);
  });

  it('gives the same record for the same payload whatever it wrote before (the kept envelope memory leaves no trace)', () => {
    const p = payload();
    const small = { learnerId: 'l-1', createdAt: 2, offsets: [], state: { n: 1 }, config: null };
    const want = gzipSync(Buffer.from(encodeSnapshot(p), 'utf8'), { level: 1 });
    const wantSmall = gzipSync(Buffer.from(encodeSnapshot(small), 'utf8'), { level: 1 });
    const values = [encodeSnapshotValue(p), encodeSnapshotValue(small), encodeSnapshotValue(p), encodeSnapshotValue(small)];
    expect(values.map((v, i) => v.equals(i % 2 === 0 ? want : wantSmall))).toEqual([true, true, true, true]);
    // the values are independent buffers (gzip's output), not views of the reused memory
    expect(decodeSnapshotValue(values[1]).learnerId).toBe('l-1');
    expect(decodeSnapshotValue(values[0]).learnerId).toBe('l-0');
  });

  it('reads and refuses exactly as the plain decode (gunzip, toString utf8, decodeSnapshot): non-ASCII, bad UTF-8, a BOM, a damaged trailer', () => {
    /** The decode as it was: the reference for the faster inflate and text paths. */
    const plain = (value: Buffer): string => {
      let text: string;
      if (value[0] === 0x1f && value[1] === 0x8b) {
        try {
          text = gunzipSync(value).toString('utf8');
        } catch (e) {
          return `error:gzip:${(e as Error).message}`;
        }
      } else text = value.toString('utf8');
      try {
        return `ok:${JSON.stringify(decodeSnapshot(text).offsets)}:${decodeSnapshot(text).learnerId}`;
      } catch (e) {
        return `error:${(e as Error).message}`;
      }
    };
    const fast = (value: Buffer): string => {
      try {
        const back = decodeSnapshotValue(value);
        return `ok:${JSON.stringify(back.offsets)}:${back.learnerId}`;
      } catch (e) {
        const m = (e as Error).message;
        const gz = /^snapshot gzip stream is damaged \((.*)\); the snapshot is corrupt, use an older one$/.exec(m);
        return gz === null ? `error:${m}` : `error:gzip:${gz[1]}`;
      }
    };
    const text = encodeSnapshot({ ...payload(), learnerId: 'learner-ü' });
    const bytes = Buffer.from(text, 'utf8');
    const at = bytes.indexOf('ü');
    const badUtf8 = Buffer.from(bytes);
    badUtf8[at] = 0xff; // an invalid byte in the learner id: replaced by U+FFFD, then the checksum refuses
    const trailer = gzipSync(bytes);
    trailer.writeUInt32LE(123, trailer.length - 4); // ISIZE lies
    const huge = gzipSync(bytes);
    huge.writeUInt32LE(0xffffffff, huge.length - 4);
    const cases = [
      gzipSync(bytes),
      bytes,
      badUtf8,
      gzipSync(badUtf8),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]),
      gzipSync(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes])),
      trailer,
      huge,
      gzipSync(bytes).subarray(0, 30),
      Buffer.concat([gzipSync(bytes.subarray(0, 1000)), gzipSync(bytes.subarray(1000))]), // two gzip members
    ];
    const outcomes = cases.map((c) => {
      const want = plain(c);
      expect(fast(c)).toBe(want);
      return want.slice(0, 8);
    });
    expect(outcomes.filter((o) => o.startsWith('ok:')).length).toBeGreaterThanOrEqual(3);
    expect(outcomes.filter((o) => o.startsWith('error:')).length).toBeGreaterThanOrEqual(5);
  });
});
