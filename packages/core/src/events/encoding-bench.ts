import { Rng } from '@logit-stream/kernel';
import { FeatureSpace } from '../features/index.js';
import { encodeBinaryEvent } from './binary-event.js';
import { EventDecoder } from './event-decoder.js';

/** One case of {@link benchEventEncodings}: the same events decoded from JSON and from the binary form. */
export interface EncodingBenchCase {
  /** `named20` (f00..f19, hashed 2^18) or `dense100` (an array of 100, dense space of 100). */
  readonly case: string;
  /** Mean `EventDecoder.decode` time per event, nanoseconds (best of 3 timed runs); JSON with the default fast path. */
  readonly jsonNsPerEvent: number;
  /** The same JSON messages with `jsonFastPath: false` (`TextDecoder` + `JSON.parse` + `decodeObject`). */
  readonly jsonSlowNsPerEvent: number;
  readonly binaryNsPerEvent: number;
  /** jsonNsPerEvent / binaryNsPerEvent. */
  readonly speedup: number;
  /** Mean message size in bytes. */
  readonly jsonBytes: number;
  readonly binaryBytes: number;
  /** Heap bytes allocated per decoded event (median of 7 runs of 500 events after 3 unmeasured), or null without `memory`. */
  readonly jsonAllocBytesPerEvent: number | null;
  readonly jsonSlowAllocBytesPerEvent: number | null;
  readonly binaryAllocBytesPerEvent: number | null;
}

/** Heap probes for the allocation figure (Node: `gc` from `--expose-gc`, `process.memoryUsage().heapUsed`). */
export interface HeapProbe {
  gc(): void;
  heapUsed(): number;
}

/**
 * Decode cost of the JSON (with and without the {@link JsonEventScanner} fast path) and the binary
 * event encodings on the same events: the benchmark event of
 * `apps/learner`'s `BenchEventFactory` (20 named features `f00`..`f19`, standard normal values rounded to
 * 6 decimals, id, ts and a 0/1 label; hashed space of 2^18 slots) and a 100-value dense event (dense
 * space of 100 columns). 1000 distinct messages of each are cycled, as views of one ArrayBuffer (as
 * a Kafka client hands over the records of one fetch). A benchmark, not a test: run
 * `packages/core/src/bench/encoding-bench-main.ts` (see its header) for the figures.
 *
 * @param o.events - events per timed run (default 200 000)
 * @param o.memory - heap probes; without them the allocation figures are null
 * @param o.cases - which cases to run (default both; one case per process gives the JIT one shape of
 *   event, as a learner with one feature space has)
 * @returns one {@link EncodingBenchCase} per case
 * @example
 * const [named, dense] = benchEventEncodings({ events: 2000 }); // named.speedup > 1
 */
export function benchEventEncodings(o: { events?: number; memory?: HeapProbe; cases?: readonly ('named20' | 'dense100')[] } = {}): EncodingBenchCase[] {
  const cases = o.cases ?? ['named20', 'dense100'];
  const events = o.events ?? 200_000;
  const rng = new Rng(1);
  const gaussian6 = () => Math.round(rng.gaussian() * 1e6) / 1e6;
  const names = Array.from({ length: 20 }, (_, j) => `f${String(j).padStart(2, '0')}`);
  const named = Array.from({ length: 1000 }, (_, m) => {
    const features: Record<string, number> = {};
    for (const n of names) features[n] = gaussian6();
    return { id: `b-${100000 + m}`, ts: 1732300000000 + m, features, label: m % 2 };
  });
  const dense = Array.from({ length: 1000 }, (_, m) => ({
    id: `d-${100000 + m}`,
    ts: 1732300000000 + m,
    features: Array.from({ length: 100 }, gaussian6),
    label: m % 2,
  }));
  return cases.map((c) =>
    c === 'named20'
      ? runCase('named20', new FeatureSpace({ kind: 'hashed', bits: 18, seed: 0 }), named, events, o.memory)
      : runCase('dense100', new FeatureSpace({ kind: 'dense', dim: 100 }), dense, events, o.memory),
  );
}

/** The messages as views of one ArrayBuffer, as a Kafka client hands over the records of one fetch. */
function shareOneBuffer(messages: Uint8Array[]): Uint8Array[] {
  const all = new Uint8Array(messages.reduce((s, b) => s + b.length, 0));
  let at = 0;
  return messages.map((b) => {
    all.set(b, at);
    at += b.length;
    return all.subarray(at - b.length, at);
  });
}

function runCase(
  name: string,
  space: FeatureSpace,
  list: { id: string; ts: number; features: Record<string, number> | number[]; label: number }[],
  events: number,
  memory: HeapProbe | undefined,
): EncodingBenchCase {
  const decoder = new EventDecoder({ space });
  const slowDecoder = new EventDecoder({ space, jsonFastPath: false });
  const ev = decoder.newEvent();
  const enc = new TextEncoder();
  const json = shareOneBuffer(list.map((e) => enc.encode(JSON.stringify(e))));
  const binary = shareOneBuffer(list.map((e) => encodeBinaryEvent(e)));
  const m = list.length;
  let sink = 0;
  const run = (d: EventDecoder, messages: Uint8Array[], n: number): void => {
    for (let i = 0; i < n; i++) {
      if (d.decode(messages[i % m], ev) !== null) throw new Error(`bench event rejected (${name})`);
      sink += ev.x.nnz;
    }
  };
  const time = (d: EventDecoder, messages: Uint8Array[]): number => {
    run(d, messages, Math.min(events, 20_000)); // warm up
    let best = Infinity;
    for (let r = 0; r < 3; r++) {
      const t = globalThis.performance.now();
      run(d, messages, events);
      best = Math.min(best, globalThis.performance.now() - t);
    }
    return (best * 1e6) / events;
  };
  const alloc = (d: EventDecoder, messages: Uint8Array[]): number | null => {
    if (memory === undefined) return null;
    // heap growth over 500 events right after a full GC (under 1 MB even at 2 KB per event, so that no
    // scavenge runs in between, which would hide garbage); the median of 7 runs, after 3 unmeasured
    // ones (the first rounds after a switch of decoder measured ~500 B more for the fast path: JIT settling)
    // steady state first: a decoder that just ran on other messages (or whose `decode` was deoptimised
    // by the binary ones) runs unoptimised code until the concurrent recompile lands, which boxes every
    // double (seen as +320 B per named20 event in 2 of 5 processes without this warm-up)
    run(d, messages, Math.min(events, 20_000));
    const runs: number[] = [];
    for (let r = 0; r < 10; r++) {
      memory.gc();
      const h0 = memory.heapUsed();
      run(d, messages, 500);
      if (r >= 3) runs.push((memory.heapUsed() - h0) / 500);
    }
    runs.sort((a, b) => a - b);
    return Math.max(0, Math.round(runs[3]));
  };
  const jsonNs = time(decoder, json);
  const jsonSlowNs = time(slowDecoder, json);
  const binaryNs = time(decoder, binary);
  const jsonAlloc = alloc(decoder, json);
  const jsonSlowAlloc = alloc(slowDecoder, json);
  const binaryAlloc = alloc(decoder, binary);
  if (sink === -1) throw new Error('unreachable');
  const mean = (a: Uint8Array[]) => Math.round(a.reduce((s, b) => s + b.length, 0) / a.length);
  return {
    case: name,
    jsonNsPerEvent: Math.round(jsonNs),
    jsonSlowNsPerEvent: Math.round(jsonSlowNs),
    binaryNsPerEvent: Math.round(binaryNs),
    speedup: Math.round((jsonNs / binaryNs) * 100) / 100,
    jsonBytes: mean(json),
    binaryBytes: mean(binary),
    jsonAllocBytesPerEvent: jsonAlloc,
    jsonSlowAllocBytesPerEvent: jsonSlowAlloc,
    binaryAllocBytesPerEvent: binaryAlloc,
  };
}
