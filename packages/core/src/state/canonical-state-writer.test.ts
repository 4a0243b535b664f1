import { Rng, type NamedState } from '@logit-stream/kernel';
import { describe, expect, it } from 'vitest';
import { OnlineLearner } from '../learner/index.js';
import { NOT_A_STATE, writeStateObject, writeStateValue } from './canonical-state-writer.js';
import { JsonBytesWriter } from './json-bytes-writer.js';
import { referenceCanonicalJson, referenceStateToJsonValue } from './reference/index.js';
import { Gen } from './reference/random-payload.js';

const text = (w: JsonBytesWriter) => new TextDecoder().decode(w.bytes());

describe('writeStateObject / writeStateValue', () => {
  it('write canonicalJson(stateToJsonValue(s)) of the reference, byte for byte, for 500 random states, without falling back', () => {
    const g = new Gen(new Rng(5));
    for (let i = 0; i < 500; i++) {
      const s = g.state();
      const w = new JsonBytesWriter(64); // tiny, so the buffer grows on the way
      writeStateObject(w, s, 0, false); // throws NOT_A_STATE if it does not take a valid state
      const want = referenceCanonicalJson(referenceStateToJsonValue(s));
      expect(text(w)).toBe(want);
      expect(Buffer.from(w.bytes()).equals(Buffer.from(want, 'utf8'))).toBe(true);
    }
  });

  it('take a real learner state (2^18 hashed slots, metrics, calibrator, drift detectors) without falling back, byte for byte', () => {
    const learner = new OnlineLearner({ calibration: 'platt' }, 'l-0');
    const ev = learner.newEvent();
    const out = learner.newScore();
    for (let i = 0; i < 500; i++) {
      expect(learner.decoder.decodeObject({ id: `e-${i}`, features: { a: (i % 7) / 7, [`c${i % 11}`]: 1 }, label: (i * 7) % 3 === 0 ? 1 : 0 }, ev)).toBeNull();
      learner.process(ev, out, i);
    }
    const s = learner.toState();
    const w = new JsonBytesWriter();
    writeStateObject(w, s, 0, false);
    expect(text(w)).toBe(referenceCanonicalJson(referenceStateToJsonValue(s)));
    // most of the text is runs of A, and they were recorded
    let covered = 0;
    for (let r = 0; r < w.runs.length; r += 2) covered += w.runs[r + 1] - w.runs[r];
    expect(covered).toBeGreaterThan(0.8 * w.pos);
  });

  it('write a config as the reference does (undefined properties dropped, depth counted from 1)', () => {
    const g = new Gen(new Rng(6));
    for (let i = 0; i < 300; i++) {
      const c = g.value(1, true);
      const w = new JsonBytesWriter();
      writeStateValue(w, c, 1, true);
      expect(text(w)).toBe(referenceCanonicalJson(referenceStateToJsonValue({ config: c as NamedState['x'] }, { skipUndefined: true }).config));
    }
  });

  it('documented example: tagged −0 and base64 of the raw bytes', () => {
    const w = new JsonBytesWriter();
    writeStateObject(w, { w: new Float64Array([1]), b: -0 }, 0, false);
    expect(text(w)).toBe('{"b":{"$num":"-0"},"w":{"$f64":"AAAAAAAA8D8="}}');
    const v = new JsonBytesWriter();
    writeStateValue(v, NaN, 1, false);
    expect(text(v)).toBe('{"$num":"NaN"}');
  });

  it('throw NOT_A_STATE exactly where the reference throws, and take what it takes at the depth limit', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 62; i++) deep = { d: deep };
    const cases: unknown[] = [deep, { d: deep }, { a: [[[1]]] }, { f: () => 1 }, { u8: new Uint8Array(1) }, { u: undefined }, { d: new Date(0) }, JSON.parse('{"__proto__":1}')];
    for (const s of cases) {
      let refused = false;
      try {
        referenceStateToJsonValue(s as NamedState);
      } catch {
        refused = true;
      }
      const w = new JsonBytesWriter();
      if (refused) expect(() => writeStateObject(w, s as object, 0, false)).toThrow();
      else {
        writeStateObject(w, s as object, 0, false);
        expect(text(w)).toBe(referenceCanonicalJson(referenceStateToJsonValue(s as NamedState)));
      }
      let thrown: unknown = null;
      try {
        writeStateObject(new JsonBytesWriter(), s as object, 0, false);
      } catch (e) {
        thrown = e;
      }
      expect(thrown === NOT_A_STATE).toBe(refused);
    }
    // both refusal and acceptance occur above (the 63-deep state is taken, 64 is not)
    expect(() => writeStateObject(new JsonBytesWriter(), deep, 0, false)).not.toThrow();
    expect(() => writeStateObject(new JsonBytesWriter(), { d: { d: deep } }, 0, false)).toThrow();
  });
});
