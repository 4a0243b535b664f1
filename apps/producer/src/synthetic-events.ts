import { ConceptDrift, HyperplaneGenerator, LabelNoise, SeaGenerator, type StreamGenerator } from '@logit-stream/core';
import { Rng } from '@logit-stream/kernel';
import { ProducerError } from './producer-error.js';
import type { EventItem, ProducedEvent } from './produced-event.js';

/** Settings of {@link syntheticEvents}; every field has a default. */
export interface SyntheticEventsOptions {
  /** 'sea' (default: SEA concepts, 3 features in [0,10)) or 'hyperplane' (rotating hyperplane, `dim` features in [0,1)). */
  readonly generator?: 'sea' | 'hyperplane';
  /** Seed of everything random (default 1): the same seed gives the same stream. */
  readonly seed?: number;
  /**
   * Event index (0-based) of the concept drift, or null for none (default null). SEA switches from
   * concept `seaConcepts[0]` to `seaConcepts[1]`; the hyperplane jumps to a new random plane there.
   */
  readonly driftAt?: number | null;
  /** Width of a gradual drift in events (0 = abrupt, default). */
  readonly driftWidth?: number;
  /** SEA concepts (1–4) before and after the drift (default [1, 3]: θ = 8 → 7). */
  readonly seaConcepts?: readonly [number, number];
  /** Hyperplane features (default 10). */
  readonly dim?: number;
  /** Hyperplane rotation per event of its first two weights (default 0.001; 0 = stationary). */
  readonly magnitude?: number;
  /** Injected class-conditional label noise [ρ0, ρ1] (default [0, 0]): ρ0 = P(observed 1 | true 0). */
  readonly noiseRates?: readonly [number, number];
  /** Fraction of labelled events that are trusted: the clean label, `trusted: true` and the noisy `sourceLabel` (default 0). */
  readonly trustedFraction?: number;
  /** Fraction of events without a label (`label: null`; default 0). */
  readonly unlabelledFraction?: number;
  /** 'dense' (default): `features: [x1, …]`; 'named': `{"x1": …}`. */
  readonly features?: 'dense' | 'named';
  /** Id prefix, followed by the event index (default 'e-'). */
  readonly idPrefix?: string;
  /** Each event's `ts` (default `Date.now()` as it is made); null = no `ts`. */
  readonly clock?: (() => number) | null;
}

function checkFraction(name: string, v: number): void {
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new ProducerError('bad-option', `${name} ${v} is not valid: use a number in [0, 1]`);
}

/**
 * An endless, seeded synthetic stream of SPEC §2 events from core's generators: SEA concepts
 * (Street & Kim, KDD 2001) or the rotating hyperplane (Hulten et al., KDD 2001), with one abrupt or
 * gradual concept drift at `driftAt` (MOA's ConceptDriftStream) and injected class-conditional label
 * noise ρ0/ρ1 (core's LabelNoise), of which a `trustedFraction` is audited (clean label + `sourceLabel`).
 *
 * @param o generator, drift, noise and format settings
 * @example
 * const it = syntheticEvents({ generator: 'sea', driftAt: 5000, noiseRates: [0.1, 0.2], trustedFraction: 0.05, clock: null });
 * it.next().value; // { event: { id: 'e-0', features: [x1, x2, x3], label: 0 | 1 } }
 */
export function* syntheticEvents(o: SyntheticEventsOptions = {}): Generator<EventItem, never, undefined> {
  const kind = o.generator ?? 'sea';
  if (kind !== 'sea' && kind !== 'hyperplane') {
    throw new ProducerError('bad-option', `generator ${JSON.stringify(kind)} is not valid: use sea or hyperplane`);
  }
  const seed = o.seed ?? 1;
  if (!Number.isInteger(seed)) throw new ProducerError('bad-option', `seed ${seed} is not valid: use a whole number`);
  const driftAt = o.driftAt ?? null;
  if (driftAt !== null && (!Number.isInteger(driftAt) || driftAt < 0)) {
    throw new ProducerError('bad-option', `drift-at ${driftAt} is not valid: use an event index >= 0`);
  }
  const [rho0, rho1] = o.noiseRates ?? [0, 0];
  checkFraction('noise rate rho0', rho0);
  checkFraction('noise rate rho1', rho1);
  if (!(rho0 + rho1 < 1)) throw new ProducerError('bad-option', `noise rates ${rho0},${rho1} are not valid: they need rho0 + rho1 < 1`);
  const trusted = o.trustedFraction ?? 0;
  checkFraction('trusted fraction', trusted);
  const unlabelled = o.unlabelledFraction ?? 0;
  checkFraction('unlabelled fraction', unlabelled);
  const format = o.features ?? 'dense';
  const prefix = o.idPrefix ?? 'e-';
  const clock = o.clock === undefined ? Date.now : o.clock;

  const master = new Rng(seed);
  let gen: StreamGenerator;
  try {
    const make = (which: 0 | 1): StreamGenerator =>
      kind === 'sea'
        ? new SeaGenerator({ concept: (o.seaConcepts ?? [1, 3])[which], noise: 0, seed: master.nextUint32() })
        : new HyperplaneGenerator({ dim: o.dim ?? 10, magnitude: o.magnitude ?? 0.001, noise: 0, seed: master.nextUint32() });
    const before = make(0);
    gen = driftAt === null ? before : new ConceptDrift({ before, after: make(1), position: driftAt, width: o.driftWidth ?? 0, seed: master.nextUint32() });
  } catch (cause) {
    throw new ProducerError('bad-option', (cause as Error).message, { cause });
  }
  const noise = new LabelNoise({ rho0, rho1, trustedFraction: trusted, seed: master.nextUint32() });
  const pick = new Rng(master.nextUint32());
  const x = new Float64Array(gen.dim);
  const names = gen.featureNames;
  for (let t = 0; ; t++) {
    const clean = gen.nextInto(x);
    let features: number[] | Record<string, number>;
    if (format === 'dense') {
      features = Array.from(x);
    } else {
      const f: Record<string, number> = {};
      for (let i = 0; i < x.length; i++) f[names[i]] = x[i];
      features = f;
    }
    const event: ProducedEvent = { id: prefix + t, features, label: null };
    if (clock !== null) event.ts = clock();
    if (!(unlabelled > 0 && pick.next() < unlabelled)) {
      noise.apply(clean);
      event.label = noise.label;
      if (noise.trusted) {
        event.trusted = true;
        event.sourceLabel = noise.noisy;
      }
    }
    yield { event };
  }
}
