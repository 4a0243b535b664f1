import { FeatureSpace } from '../features/index.js';
import { EventDecoder } from './event-decoder.js';

/** Result of {@link benchEventDecoder}. */
export interface DecoderBenchResult {
  /** Events decoded per second by `EventDecoder.decode` (UTF-8 + JSON.parse + validation + hashing). */
  readonly eventsPerSecond: number;
  /** The baseline: `TextDecoder.decode` + `JSON.parse` alone on the same messages. */
  readonly parseOnlyPerSecond: number;
  /** Mean message size in bytes. */
  readonly meanBytes: number;
  readonly events: number;
  readonly features: number;
  readonly shape: 'named' | 'dense';
}

/**
 * Measures decode throughput on SPEC §2 events with `features` named features (hashed space, 2^18
 * slots), against the floor of `TextDecoder` + `JSON.parse` alone. A benchmark, not a test: run it
 * from a script (`packages/core/src/events/decoder-bench.ts` bundled with esbuild, see the report) and
 * print the JSON result.
 *
 * @param o.events - events per timed run (default 200 000; 1000 distinct messages cycled)
 * @param o.features - features per event (default 20)
 * @param o.shape - `named` (default: an object of names, hashed into 2^18 slots) or `dense` (an array,
 *   dense space of that dimension)
 * @returns {@link DecoderBenchResult}
 * @example
 * const r = benchEventDecoder({ events: 1000 }); // r.eventsPerSecond > 0
 */
export function benchEventDecoder(
  o: { events?: number; features?: number; shape?: 'named' | 'dense' } = {},
): DecoderBenchResult {
  const events = o.events ?? 200_000;
  const features = o.features ?? 20;
  const shape = o.shape ?? 'named';
  const space =
    shape === 'named' ? new FeatureSpace({ kind: 'hashed', bits: 18, seed: 0 }) : new FeatureSpace({ kind: 'dense', dim: features });
  const decoder = new EventDecoder({ space, maxFeatures: Math.max(1000, features) });
  const ev = decoder.newEvent();
  const enc = new TextEncoder();
  const messages: Uint8Array[] = [];
  let total = 0;
  for (let m = 0; m < 1000; m++) {
    const value = (k: number) => Math.round(Math.sin(m + k) * 1e6) / 1e6;
    let f: Record<string, number> | number[];
    if (shape === 'dense') f = Array.from({ length: features }, (_, k) => value(k));
    else {
      f = {};
      for (let k = 0; k < features; k++) f[`f${k}:${(m * 7 + k) % 50}`] = value(k);
    }
    const text = JSON.stringify({ id: `e-${m}`, ts: 1732300000000 + m, features: f, label: m % 3 === 0 ? null : m % 2 });
    const b = enc.encode(text);
    total += b.length;
    messages.push(b);
  }
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const now = () => globalThis.performance.now();
  let sink = 0;
  const runDecode = (n: number) => {
    for (let i = 0; i < n; i++) {
      if (decoder.decode(messages[i % 1000], ev) !== null) throw new Error('bench event rejected');
      sink += ev.x.nnz;
    }
  };
  const runParse = (n: number) => {
    for (let i = 0; i < n; i++) sink += (JSON.parse(utf8.decode(messages[i % 1000])) as { ts: number }).ts & 1;
  };
  // warm up (JIT), then take the best of three runs of each
  runDecode(Math.min(events, 20_000));
  runParse(Math.min(events, 20_000));
  let bestDecode = Infinity;
  let bestParse = Infinity;
  for (let r = 0; r < 3; r++) {
    let t = now();
    runDecode(events);
    bestDecode = Math.min(bestDecode, now() - t);
    t = now();
    runParse(events);
    bestParse = Math.min(bestParse, now() - t);
  }
  if (sink === -1) throw new Error('unreachable');
  return {
    eventsPerSecond: Math.round(events / (bestDecode / 1000)),
    parseOnlyPerSecond: Math.round(events / (bestParse / 1000)),
    meanBytes: Math.round(total / 1000),
    events,
    features,
    shape,
  };
}
