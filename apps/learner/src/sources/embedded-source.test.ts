import { embeddedStream } from '@logit-stream/core';
import { describe, expect, it } from 'vitest';
import type { InputBatch } from '../io/types.js';
import { EmbeddedSource } from './embedded-source.js';

describe('EmbeddedSource', () => {
  it('delivers the embedded stream as JSON bytes with consecutive offsets, awaiting each handler call', async () => {
    const src = new EmbeddedSource({ seed: 5, batchSize: 7, maxEvents: 30, clock: () => 42, now: () => 1000 });
    const batches: InputBatch[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    await src.start(async (b) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      batches.push(b);
      await new Promise((r) => setImmediate(r));
      inFlight--;
    });
    await src.exhausted;
    await src.stop();
    expect(maxInFlight).toBe(1);
    expect(batches.map((b) => b.messages.length)).toEqual([7, 7, 7, 7, 2]);
    const msgs = batches.flatMap((b) => b.messages);
    expect(msgs.map((m) => m.offset)).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
    const expected = embeddedStream({ seed: 5, clock: () => 42 });
    for (const m of msgs) {
      const ev = expected.next().value;
      expect(JSON.parse(m.value!.toString('utf8'))).toEqual(ev);
      expect(m.key!.toString('utf8')).toBe(ev.id);
      expect(m.timestamp).toBe(1000);
      expect(m.topic).toBe('events');
    }
  });

  it('stop() ends an endless stream after the batch in flight has been handled', async () => {
    const src = new EmbeddedSource({ batchSize: 10 });
    let handled = 0;
    let stopping: Promise<void> | null = null;
    await src.start(async () => {
      handled++;
      if (handled === 3) stopping = src.stop();
      await new Promise((r) => setImmediate(r));
    });
    await new Promise<void>((r) => {
      const check = (): void => (stopping ? r() : void setImmediate(check));
      check();
    });
    await stopping;
    expect(handled).toBe(3);
    expect(src.delivered).toBe(30);
  });

  it('holds --rate: 300 events at 3000/s take at least 90 ms, in batches of ≤ rate/20', async () => {
    const src = new EmbeddedSource({ rate: 3000, maxEvents: 300 });
    const sizes: number[] = [];
    const t0 = Date.now();
    await src.start(async (b) => void sizes.push(b.messages.length));
    await src.exhausted;
    await src.stop();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(150);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(300);
  });
});
