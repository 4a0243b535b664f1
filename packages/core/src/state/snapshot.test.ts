import type { NamedState } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors/index.js';
import { canonicalJson } from './canonical-json.js';
import { crc32c } from './crc32c.js';
import { decodeSnapshot, encodeSnapshot, type SnapshotPayload } from './snapshot.js';
import { stateToJsonValue } from './state-codec.js';

/** Bit-exact comparison key of a state: canonical text of its tagged encoding (typed arrays as raw bytes). */
const exact = (s: NamedState) => canonicalJson(stateToJsonValue(s));

function payload(): SnapshotPayload {
  const w = new Float64Array([0.5, -0, NaN, 1e-310, -Infinity, 3.141592653589793]);
  return {
    learnerId: 'learner-ü',
    createdAt: 1732300000000,
    offsets: [
      { topic: 'events', partition: 0, next: '1042' },
      { topic: 'events', partition: 3, next: '0' },
    ],
    state: { optimizer: { w, n: new Float64Array(3), t: 17 }, counts: new Uint32Array([1, 2 ** 32 - 1]), seed: new Int32Array([-5]) },
    config: { bits: 18, learningRate: 0.05, noiseRates: null, drift: { detectors: ['adwin'] }, skipped: undefined, neg: -0 },
  };
}

function refusal(text: string): CoreError {
  try {
    decodeSnapshot(text);
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    expect((e as CoreError).code).toBe('bad-snapshot');
    return e as CoreError;
  }
  throw new Error('expected the snapshot to be refused');
}

describe('encodeSnapshot / decodeSnapshot', () => {
  it('round-trips payload, state and config exactly', () => {
    const p = payload();
    const back = decodeSnapshot(encodeSnapshot(p));
    expect(back.learnerId).toBe(p.learnerId);
    expect(back.createdAt).toBe(p.createdAt);
    expect(back.offsets).toEqual(p.offsets);
    // bit-exact state: compare through the canonical state encoding (typed arrays as raw bytes)
    expect(exact(back.state)).toBe(exact(p.state));
    const cfg = back.config as Record<string, unknown>;
    expect(Object.is(cfg.neg, -0)).toBe(true);
    expect('skipped' in cfg).toBe(false);
    expect(cfg.drift).toEqual({ detectors: ['adwin'] });
  });

  it('writes the documented envelope with a CRC-32C over the canonical body', () => {
    const text = encodeSnapshot(payload());
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual(['format', 'version', 'checksum', 'body']);
    expect(doc.format).toBe('logit-stream/snapshot');
    expect(doc.version).toBe(1);
    const bodyText = text.slice(text.indexOf('"body":') + 7, -1);
    const expected = crc32c(new TextEncoder().encode(bodyText)).toString(16).padStart(8, '0');
    expect(doc.checksum).toBe(`crc32c:${expected}`);
  });

  it('survives re-serialisation of the envelope (pretty-printing, key order)', () => {
    const doc = JSON.parse(encodeSnapshot(payload()));
    const reordered = JSON.stringify({ body: doc.body, checksum: doc.checksum, version: 1, format: doc.format }, null, 2);
    expect(decodeSnapshot(reordered).offsets[0].next).toBe('1042');
  });

  it('refuses every single flipped byte, or decodes to the identical payload', () => {
    const p = payload();
    const bytes = new TextEncoder().encode(encodeSnapshot(p));
    const original = exact(p.state);
    let refused = 0;
    for (let i = 0; i < bytes.length; i++) {
      for (const mask of [0x01, 0x20]) {
        const copy = bytes.slice();
        copy[i] ^= mask;
        const text = new TextDecoder().decode(copy);
        try {
          const back = decodeSnapshot(text);
          expect(exact(back.state)).toBe(original);
          expect(back.offsets).toEqual(p.offsets);
          expect(back.learnerId).toBe(p.learnerId);
        } catch (e) {
          expect(e).toBeInstanceOf(CoreError);
          expect((e as CoreError).code).toBe('bad-snapshot');
          refused++;
        }
      }
    }
    // nearly all flips change the data and must be refused; only no-op re-spellings may pass
    expect(refused).toBeGreaterThan(2 * bytes.length * 0.99);
  });

  it('refuses a damaged typed array with a checksum mismatch naming both checksums', () => {
    const text = encodeSnapshot(payload());
    const i = text.indexOf('$f64":"') + 9;
    const damaged = text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
    expect(refusal(damaged).message).toMatch(/^snapshot checksum mismatch: the envelope says crc32c:[0-9a-f]{8}, the body gives crc32c:[0-9a-f]{8}; the snapshot is corrupt, use an older one$/);
  });

  it('refuses a newer version, naming it', () => {
    const doc = JSON.parse(encodeSnapshot(payload()));
    doc.version = 2;
    expect(refusal(JSON.stringify(doc)).message).toBe(
      'snapshot version 2 is newer than this build reads (1); upgrade logit-stream or start without the snapshot',
    );
  });

  it('refuses a wrong format, version, checksum field, truncation and non-JSON', () => {
    const doc = JSON.parse(encodeSnapshot(payload()));
    expect(refusal(JSON.stringify({ ...doc, format: 'other' })).message).toMatch(/format is "other", expected "logit-stream\/snapshot"/);
    expect(refusal(JSON.stringify({ ...doc, version: '1' })).message).toMatch(/version "1" is not a positive integer/);
    expect(refusal(JSON.stringify({ ...doc, version: 0 })).message).toMatch(/version 0 is not a positive integer/);
    expect(refusal(JSON.stringify({ ...doc, checksum: 'sha1:00' })).message).toMatch(/checksum "sha1:00" is not "crc32c:"/);
    expect(refusal(JSON.stringify({ ...doc, body: undefined })).message).toMatch(/body is missing/);
    const text = encodeSnapshot(payload());
    expect(refusal(text.slice(0, text.length - 10)).message).toMatch(/^snapshot is not valid JSON/);
    expect(refusal('[]').message).toBe('snapshot is not a JSON object');
  });

  it('refuses a body with a valid checksum but a malformed field (schema), naming the field', () => {
    const rewrap = (body: Record<string, unknown>) => {
      const good = encodeSnapshot({ ...payload(), state: {} });
      const doc = JSON.parse(good);
      // recompute a matching checksum the way the encoder does, to reach the schema checks
      const canonical = JSON.parse(encodeSnapshot({ ...payload(), state: {} })).body;
      Object.assign(canonical, body);
      const crc = crc32c(new TextEncoder().encode(canonicalJson(canonical))).toString(16).padStart(8, '0');
      return JSON.stringify({ ...doc, checksum: `crc32c:${crc}`, body: canonical });
    };
    expect(refusal(rewrap({ learnerId: '' })).message).toMatch(/body\.learnerId "" must be a non-empty string/);
    expect(refusal(rewrap({ createdAt: 'now' })).message).toMatch(/body\.createdAt "now" must be a finite number/);
    expect(refusal(rewrap({ offsets: [{ topic: 'e', partition: -1, next: '1' }] })).message).toMatch(/offsets\[0\]\.partition -1 must be an integer ≥ 0/);
    expect(refusal(rewrap({ offsets: [{ topic: 'e', partition: 0, next: 7 }] })).message).toMatch(/offsets\[0\]\.next 7 must be a decimal string/);
    expect(refusal(rewrap({ state: { w: { $f64: 'AAAA' } } })).message).toMatch(/^snapshot body\.state\.w tag \$f64 holds 3 bytes/);
    expect(refusal(rewrap({ state: [] })).message).toMatch(/body\.state must be an object/);
  });

  it('refuses an invalid payload at encode time', () => {
    expect(() => encodeSnapshot({ ...payload(), offsets: [{ topic: 'e', partition: 0, next: '-1' }] })).toThrow(/next "-1" must be a decimal string/);
    expect(() => encodeSnapshot({ ...payload(), state: { f: (() => 1) as unknown as number } as NamedState })).toThrow(
      /cannot write snapshot: state\.f is a function/,
    );
  });
});
