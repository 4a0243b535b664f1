import { Rng } from '@logit-stream/kernel';
import { CoreError } from '../errors/index.js';
import { checkInt, checkRange } from './check-options.js';
import { HyperplaneGenerator } from './hyperplane-generator.js';
import { LabelNoise } from './label-noise.js';
import { SeaGenerator } from './sea-generator.js';

/** A SPEC §2 event object, as the embedded stream produces it (serialise it with JSON.stringify). */
export interface SynthEvent {
  id: string;
  ts: number;
  features: Record<string, number> | number[];
  label: number | null;
  trusted?: boolean;
  sourceLabel?: number;
}

/** Settings of {@link embeddedStream}; every field has a default. */
export interface EmbeddedStreamOptions {
  /** Seed of everything random in the stream (default 1). */
  readonly seed?: number;
  /** 'sea' (default): SEA concepts 1→2→3→4→1… switching every `driftEvery` events; 'hyperplane': rotating hyperplane. */
  readonly concept?: 'sea' | 'hyperplane';
  /** SEA: events per concept (default 25 000); 0 = no switch. */
  readonly driftEvery?: number;
  /** SEA: width of each switch in events (0 = abrupt, default); event t near switch p comes from the new concept with probability 1/(1+e^(−4(t−p)/w)). */
  readonly driftWidth?: number;
  /** Hyperplane: per-event weight move t of the first 2 weights (default 0.001). */
  readonly hyperplaneMagnitude?: number;
  /** Class-conditional label noise [ρ0, ρ1] (default [0.1, 0.05]); null = clean labels. */
  readonly noiseRates?: readonly [number, number] | null;
  /** Fraction of labelled events that are trusted: clean label plus `sourceLabel` (default 0.05). */
  readonly trustedFraction?: number;
  /** Fraction of events without a label (`label: null`, score only; default 0.01). */
  readonly unlabelledFraction?: number;
  /** Multiplies every feature value (default 1; SEA's features are in [0, 10), so 0.1 maps them to [0, 1)). */
  readonly featureScale?: number;
  /** 'named' (default): `{"x1": …}`; 'dense': `[…]`. */
  readonly featureFormat?: 'named' | 'dense';
  /** Timestamp of event 0 in epoch ms (default 1 767 225 600 000 = 2026-01-01T00:00:00Z). */
  readonly startTs?: number;
  /** Milliseconds between consecutive events' timestamps (default 1). */
  readonly tsStepMs?: number;
  /** When given, each event's `ts` is `clock()` instead (real time; the stream is then not reproducible in `ts`). */
  readonly clock?: () => number;
  /** Prefix of the event ids, followed by the event index (default 'e-'). */
  readonly idPrefix?: string;
}

/**
 * An endless, deterministic (by seed) stream of SPEC §2 event objects: the default source of
 * `pnpm logit run`. SEA concepts drift every `driftEvery` events (or a rotating hyperplane), labels
 * carry class-conditional noise ρ0/ρ1, some events are trusted (clean label + `sourceLabel`) and a few
 * are unlabelled.
 *
 * @param o - settings (see {@link EmbeddedStreamOptions})
 * @returns a generator that never finishes; take what you need
 * @example
 * const it = embeddedStream({ seed: 42 });
 * const first = it.next().value; // { id: 'e-0', ts: 1767225600000, features: { x1, x2, x3 }, label: 0 | 1 | null, ... }
 */
export function* embeddedStream(o: EmbeddedStreamOptions = {}): Generator<SynthEvent, never, undefined> {
  const seed = o.seed ?? 1;
  const concept = o.concept ?? 'sea';
  if (concept !== 'sea' && concept !== 'hyperplane') {
    throw new CoreError('bad-option', `embedded stream concept '${String(concept)}' must be 'sea' or 'hyperplane'`);
  }
  const driftEvery = o.driftEvery ?? 25_000;
  checkInt('embedded stream driftEvery', driftEvery, 0, Number.MAX_SAFE_INTEGER);
  const driftWidth = o.driftWidth ?? 0;
  checkRange('embedded stream driftWidth', driftWidth, 0, Number.MAX_SAFE_INTEGER);
  const noiseRates = o.noiseRates === undefined ? ([0.1, 0.05] as const) : o.noiseRates;
  const unlabelled = o.unlabelledFraction ?? 0.01;
  checkRange('embedded stream unlabelledFraction', unlabelled, 0, 1);
  const scale = o.featureScale ?? 1;
  checkRange('embedded stream featureScale', scale, Number.MIN_VALUE, Number.MAX_VALUE);
  const format = o.featureFormat ?? 'named';
  const startTs = o.startTs ?? 1_767_225_600_000;
  const tsStep = o.tsStepMs ?? 1;
  const clock = o.clock;
  const prefix = o.idPrefix ?? 'e-';

  const master = new Rng(seed);
  const sea = new SeaGenerator({ concept: 1, noise: 0, seed: master.nextUint32() });
  const hyperplane =
    concept === 'hyperplane'
      ? new HyperplaneGenerator({ noise: 0, magnitude: o.hyperplaneMagnitude ?? 0.001, seed: master.nextUint32() })
      : null;
  const gen = hyperplane ?? sea;
  const noise = new LabelNoise({
    rho0: noiseRates === null ? 0 : noiseRates[0],
    rho1: noiseRates === null ? 0 : noiseRates[1],
    trustedFraction: o.trustedFraction ?? 0.05,
    seed: master.nextUint32(),
  });
  const pick = new Rng(master.nextUint32());
  const x = new Float64Array(gen.dim);
  const names = gen.featureNames;

  for (let t = 0; ; t++) {
    if (hyperplane === null && driftEvery > 0) sea.setConcept(seaConceptAt(t, driftEvery, driftWidth, pick));
    const clean = gen.nextInto(x);
    let features: Record<string, number> | number[];
    if (format === 'dense') {
      const a = new Array<number>(x.length);
      for (let i = 0; i < x.length; i++) a[i] = x[i] * scale;
      features = a;
    } else {
      const f: Record<string, number> = {};
      for (let i = 0; i < x.length; i++) f[names[i]] = x[i] * scale;
      features = f;
    }
    const ev: SynthEvent = { id: prefix + t, ts: clock ? clock() : startTs + t * tsStep, features, label: null };
    if (!(unlabelled > 0 && pick.next() < unlabelled)) {
      noise.apply(clean);
      ev.label = noise.label;
      if (noise.trusted) {
        ev.trusted = true;
        ev.sourceLabel = noise.noisy;
      }
    }
    yield ev;
  }
}

/** The SEA concept (1–4) of event t: concepts cycle every `every` events, switching abruptly or over `width` events. */
function seaConceptAt(t: number, every: number, width: number, rng: Rng): number {
  const k = Math.floor(t / every);
  if (width === 0) return (k % 4) + 1;
  // The nearest switch point and the concepts on either side of it.
  const near = t - k * every < every / 2 ? k : k + 1;
  if (near === 0) return 1;
  const pNew = 1 / (1 + Math.exp((-4 * (t - near * every)) / width));
  const c = rng.next() < pNew ? near : near - 1;
  return (c % 4) + 1;
}
