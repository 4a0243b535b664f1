import { CsvLayout, DecodedEvent, EventDecoder, FeatureSpace, type FeatureSpaceOptions } from '@logit-stream/core';
import { describe, expect, it } from 'vitest';
import { csvRowToEvent } from './csv-events.js';
import { encodeEventValue } from './event-value.js';
import type { ProducedEvent } from './produced-event.js';
import { syntheticEvents, type SyntheticEventsOptions } from './synthetic-events.js';

/** Every field of a decoded event, values as their 64 bits (so −0 and 0 differ). */
function snapshot(e: DecodedEvent) {
  const n = e.x.nnz;
  const bits = (v: number | null) => (v === null ? null : Array.from(new Uint32Array(new Float64Array([v]).buffer)));
  return {
    id: e.id,
    ts: bits(e.ts),
    label: bits(e.label),
    trusted: e.trusted,
    sourceLabel: bits(e.sourceLabel),
    idx: Array.from(e.x.idx.subarray(0, n)),
    val: Array.from(new Uint32Array(Float64Array.from(e.x.val.subarray(0, n)).buffer)),
  };
}

/** Decodes each event's JSON and binary message values with the learner's decoder and compares them. */
function expectSameEvents(events: ProducedEvent[], space: FeatureSpaceOptions): void {
  const decoder = new EventDecoder({ space: new FeatureSpace(space) });
  const a = decoder.newEvent();
  const b = decoder.newEvent();
  for (const e of events) {
    const json = encodeEventValue(e, 'json');
    const binary = encodeEventValue(e, 'binary');
    expect(typeof json).toBe('string');
    expect(Buffer.isBuffer(binary)).toBe(true);
    expect((binary as Buffer)[0]).toBe(0xb1);
    expect(decoder.decode(Buffer.from(json as string), a), json as string).toBeNull();
    expect(decoder.decode(binary as Buffer, b), json as string).toBeNull();
    expect(snapshot(b), json as string).toEqual(snapshot(a));
  }
}

function take(n: number, o: SyntheticEventsOptions): ProducedEvent[] {
  const it = syntheticEvents(o);
  const out: ProducedEvent[] = [];
  for (let i = 0; i < n; i++) out.push(it.next().value.event!);
  return out;
}

describe('encodeEventValue', () => {
  it('json is the SPEC §2 text the producer always sent', () => {
    const e: ProducedEvent = { id: 'e-1', ts: 5, features: [0.5, 0], label: null };
    expect(encodeEventValue(e, 'json')).toBe('{"id":"e-1","ts":5,"features":[0.5,0],"label":null}');
  });

  it('binary messages of the SEA stream (dense, noise, trusted, unlabelled, ts) decode to the same events as the JSON ones', () => {
    const events = take(2000, { generator: 'sea', driftAt: 1000, noiseRates: [0.1, 0.2], trustedFraction: 0.2, unlabelledFraction: 0.2 });
    expect(events.some((e) => e.trusted === true && e.sourceLabel !== undefined)).toBe(true);
    expect(events.some((e) => e.label === null)).toBe(true);
    expect(events.every((e) => typeof e.ts === 'number')).toBe(true);
    expectSameEvents(events, { kind: 'dense', dim: 3 });
    expectSameEvents(events, { kind: 'hashed', bits: 18, seed: 0 });
  });

  it('binary messages of the named hyperplane stream decode to the same events as the JSON ones (hashed space)', () => {
    const events = take(1000, { generator: 'hyperplane', features: 'named', dim: 12, clock: null, trustedFraction: 0.1 });
    expect(Array.isArray(events[0].features)).toBe(false);
    expectSameEvents(events, { kind: 'hashed', bits: 18, seed: 0 });
    expectSameEvents(events, { kind: 'hashed', bits: 4, seed: 7 }); // collisions summed the same way
  });

  it('binary messages of CSV rows (zeros, soft and empty labels) decode to the same events as the JSON ones', () => {
    const layout = CsvLayout.fromHeader('a,b,c,label');
    const scratch = new DecodedEvent(3);
    const rows = ['0.5,0,-0,1', '1e-300,2.25,3,0', '7,8,9,', '0.1,0.2,0.3,0.85'];
    const events = rows.map((line, i) => csvRowToEvent(line, layout, i + 1, scratch, 1732300000000 + i).event!);
    expect(events.map((e) => e.label)).toEqual([1, 0, null, 0.85]);
    expectSameEvents(events, { kind: 'dense', dim: 3 });
  });
});
