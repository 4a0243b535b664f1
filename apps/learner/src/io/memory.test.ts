import { describe, expect, it } from 'vitest';
import { MemorySink, MemorySource } from './memory.js';

describe('MemorySource and MemorySink', () => {
  it('MemorySource delivers batches in order, one at a time, and records commits', async () => {
    const journal: string[] = [];
    const src = MemorySource.fromValues(['a', 'b', null, 'd', 'e'], { batchSize: 2, firstOffset: 10, journal });
    const seen: string[] = [];
    await src.start(async (b) => {
      for (const m of b.messages) seen.push(`${m.offset}:${m.value === null ? 'null' : m.value.toString()}`);
      await src.commit([{ topic: b.topic, partition: b.partition, offset: String(Number(b.messages.at(-1)!.offset) + 1) }]);
    });
    await src.exhausted;
    await src.stop();
    expect(seen).toEqual(['10:a', '11:b', '12:null', '13:d', '14:e']);
    expect(src.commits.map((c) => c[0].offset)).toEqual(['12', '14', '15']);
    expect(src.maxInFlight).toBe(1);
    expect(journal).toEqual([
      'deliver 0', 'commit events/0@12', 'handled 0',
      'deliver 1', 'commit events/0@14', 'handled 1',
      'deliver 2', 'commit events/0@15', 'handled 2',
    ]);
  });

  it('MemorySource.stop() stops before the next batch', async () => {
    const src = MemorySource.fromValues(['a', 'b', 'c'], { batchSize: 1 });
    let n = 0;
    let stopping: Promise<void> | null = null;
    await src.start(async () => {
      n++;
      if (n === 1) stopping = src.stop();
    });
    await new Promise((r) => setTimeout(r, 0));
    await stopping;
    expect(n).toBe(1);
  });

  it('MemorySink keeps records per topic, can be slow, can fail a given send', async () => {
    const sink = new MemorySink({ failOnSend: 2 });
    await sink.send([{ topic: 's', key: null, value: '1' }, { topic: 'm', key: 'k', value: '2' }]);
    await expect(sink.send([{ topic: 's', key: null, value: '3' }])).rejects.toThrow(/send 2 failed/);
    expect(sink.on('s').map((r) => r.value)).toEqual(['1']);
    await sink.close();
    expect(sink.closed).toBe(true);
  });
});
