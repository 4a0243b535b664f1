/**
 * Fuzz run on the real broker: 10 500 malformed messages (a seeded generator: truncated JSON, invalid
 * UTF-8, wrong types, 1e999 / NaN literals, labels out of range, too many features, oversize
 * including one near the broker's 1 MiB limit, `__proto__`/`constructor` keys, empty and tombstone
 * values, deep nesting, random bytes, binary keys, headers) mixed with 4 500 good events on one
 * partition. The built `logit run` (`node dist/cli.js run --exit-on-idle 5 --model-out …`) must exit 0,
 * put every bad message in the DLQ exactly once with a reason code (the expected one for its kind)
 * and its source topic, partition and offset, score every good one exactly once, and end with the
 * same model, bit for bit, and the same scores as a second run on a topic holding only the good
 * events (in the same order). One partition, so that both runs see the good events in the same
 * order (the multi-partition DLQ path is covered by run-kafka.int.test.ts).
 * Needs KAFKA_BROKERS (kafka.sh with-test-broker) and a build (turbo's test:int task builds first).
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@logit-stream/kernel';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageCount, readAll, requireBrokers, testKafka, unique } from './kafka/int-test-support.js';
import { ensureTopics } from './kafka/topics.js';
import { requireBuiltCli, runCli } from './testing/kafka-test-kit.js';

const DIM = 6;
const N_GOOD = 4_500;
const N_BAD = 10_500;
const SEED = 20_261_201;

/** One generated message; `codes` are the reject codes allowed for it (empty: a good event). */
interface FuzzMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, string>;
  kind: string;
  codes: readonly string[];
  id?: string;
}

const enc = (s: string): Buffer => Buffer.from(s, 'utf8');

/** The generator of good events and of malformed messages (deterministic in its seed). */
class FuzzGenerator {
  private readonly rng: Rng;
  private n = 0;
  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  private int(n: number): number {
    return this.rng.nextInt(n);
  }

  private pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }

  private features(): number[] {
    const x: number[] = [];
    for (let i = 0; i < DIM; i++) x.push(Math.round(this.rng.gaussian() * 1e6) / 1e6);
    return x;
  }

  /** A valid event object (dense, DIM columns), with the variety SPEC §2 allows. */
  goodObject(id: string): Record<string, unknown> {
    const x = this.features();
    const z = 1.5 * x[0] - x[1] + 0.5 * x[2] - 0.25 * x[3];
    const r = this.rng.next();
    const label = r < 0.05 ? null : r < 0.1 ? 0.25 : this.rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    const o: Record<string, unknown> = { id, features: x, label };
    const v = this.int(10);
    if (v === 0) o.ts = 1_767_225_600_000 + this.n;
    if (v === 1) o.features = Object.fromEntries(x.map((value, i) => [String(i), value]).filter((_, i) => i % 2 === 0));
    if (v === 2) o.extra = { note: 'unknown keys are ignored', list: [1, 'two', null] };
    if (v === 3 && label !== null) {
      o.trusted = true;
      o.sourceLabel = label;
    }
    if (v === 4) o.ts = null;
    return o;
  }

  good(): FuzzMessage {
    const id = `g-${this.n++}`;
    const v = this.int(20);
    const key = v === 0 ? null : v === 1 ? Buffer.concat([Buffer.from([0xff, 0xfe]), enc(id)]) : enc(id);
    const m: FuzzMessage = { key, value: enc(JSON.stringify(this.goodObject(id))), kind: 'good', codes: [], id };
    if (v === 2) m.headers = { 'content-type': 'application/json', trace: `t-${id}` };
    return m;
  }

  private goodText(id: string): string {
    const o = this.goodObject(id);
    if (o.label !== 0) o.label = 1; // a hard label (0/1), which the mutation below relies on
    return JSON.stringify(o);
  }

  /** A malformed message of a random kind, with the codes its rejection may have. */
  bad(): FuzzMessage {
    const id = `b-${this.n++}`;
    const key = this.int(25) === 0 ? Buffer.concat([Buffer.from([0xc3, 0x28]), enc(id)]) : this.int(25) === 0 ? null : enc(id);
    const m = (kind: string, value: Buffer | null, codes: readonly string[]): FuzzMessage => ({ key, value, kind, codes });
    const x = JSON.stringify(this.features());
    const kinds = 22;
    switch (this.int(kinds)) {
      case 0: {
        const t = this.goodText(id);
        return m('truncated-json', enc(t.slice(0, 1 + this.int(t.length - 1))), ['bad-json']);
      }
      case 1: {
        const bad = this.pick([[0xff], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xe2, 0x82]]);
        return m('bad-utf8', Buffer.concat([enc(`{"id":"${id}`), Buffer.from(bad), enc(`","features":${x},"label":1}`)]), ['bad-utf8']);
      }
      case 2:
        return m('label-type', enc(`{"id":"${id}","features":${x},"label":${this.pick(['"1"', 'true', 'false', '[1]', '{"v":1}'])}}`), ['bad-label']);
      case 3:
        return m(
          'bad-id',
          enc(this.pick([`{"id":17,"features":${x}}`, `{"features":${x},"label":0}`, `{"id":"","features":${x}}`, `{"id":"${'i'.repeat(257)}","features":${x}}`, `{"id":null,"features":${x}}`, `{"id":["a"],"features":${x}}`, '{}'])),
          ['bad-id'],
        );
      case 4:
        return m(
          'bad-features',
          enc(this.pick([`{"id":"${id}","features":"x"}`, `{"id":"${id}","features":5}`, `{"id":"${id}","features":null}`, `{"id":"${id}","features":[1,2,"3",4,5,6]}`, `{"id":"${id}","features":[true,0,0,0,0,0]}`, `{"id":"${id}","label":1}`, `{"id":"${id}","features":[1,2,null,4,5,6]}`])),
          ['bad-features'],
        );
      case 5:
        return m('dimension-mismatch', enc(this.pick([`{"id":"${id}","features":{"a":1}}`, `{"id":"${id}","features":[1,2,3]}`, `{"id":"${id}","features":{"6":1}}`, `{"id":"${id}","features":[1,2,3,4,5,6,7]}`, `{"id":"${id}","features":{"01":1}}`])), ['dimension-mismatch']);
      case 6:
        return m(
          'non-finite',
          enc(this.pick([`{"id":"${id}","features":${x},"label":1e999}`, `{"id":"${id}","features":[1e999,0,0,0,0,0]}`, `{"id":"${id}","features":[0,0,0,0,0,-1e999]}`, `{"id":"${id}","ts":1e999,"features":${x}}`, `{"id":"${id}","features":${x},"sourceLabel":-1e999,"trusted":true,"label":1}`])),
          ['non-finite'],
        );
      case 7:
        return m('nan-literal', enc(this.pick([`{"id":"${id}","features":[NaN,0,0,0,0,0]}`, `{"id":"${id}","features":${x},"label":Infinity}`, `{"id":"${id}","features":[-Infinity,1,2,3,4,5]}`, `{"id":"${id}","features":${x},"label":.5}`, `{"id":"${id}","features":${x},"label":+1}`])), ['bad-json']);
      case 8:
        return m('label-range', enc(`{"id":"${id}","features":${x},"label":${this.pick(['1.7', '-0.1', '2', '1.0000001', '-1e-300', '1e300'])}}`), ['label-range']);
      case 9: {
        const n = 1001 + this.int(500);
        const named = this.int(2) === 0;
        const f = named ? `{${Array.from({ length: n }, (_, i) => `"${i}":1`).join(',')}}` : `[${Array.from({ length: n }, () => '0.5').join(',')}]`;
        return m('too-many-features', enc(`{"id":"${id}","label":1,"features":${f}}`), ['too-many-features']);
      }
      case 10: {
        if (this.int(40) !== 0) return this.bad(); // oversize ones are rare: they are 64 KiB each
        const pad = 65_537 + this.int(10_000);
        return m('too-large', enc(`{"id":"${id}","features":${x},"pad":"${'p'.repeat(pad)}"}`), ['too-large']);
      }
      case 11:
        return m(
          'forbidden-key',
          enc(this.pick([`{"id":"${id}","__proto__":{"polluted":1},"features":${x}}`, `{"id":"${id}","features":{"__proto__":1}}`, `{"id":"${id}","features":${x},"meta":{"a":[{"constructor":{"prototype":1}}]}}`, `{"id":"${id}","prototype":1,"features":${x}}`, `{"constructor":"x","id":"${id}","features":${x}}`])),
          ['forbidden-key'],
        );
      case 12:
        return m('empty', this.int(2) === 0 ? null : Buffer.alloc(0), ['empty']);
      case 13: {
        const n = 1 + this.int(300);
        const b = Buffer.alloc(n);
        for (let i = 0; i < n; i++) b[i] = this.int(256);
        return m('random-bytes', b, ['bad-utf8', 'bad-json', 'not-an-object']);
      }
      case 14: {
        const n = 1 + this.int(200);
        let s = '';
        for (let i = 0; i < n; i++) s += String.fromCharCode(0x20 + this.int(95));
        return m('random-ascii', enc(s), ['bad-json', 'not-an-object']);
      }
      case 15:
        return m('not-an-object', enc(this.pick(['[1,2]', '"str"', '42', 'null', 'true', `[{"id":"${id}","features":${x}}]`])), ['not-an-object']);
      case 16:
        return m('bad-ts', enc(`{"id":"${id}","ts":${this.pick(['"now"', '1e16', '-9e15', 'true', '[1]'])},"features":${x}}`), ['bad-ts']);
      case 17:
        return m('bad-trusted', enc(`{"id":"${id}","trusted":${this.pick(['"yes"', '1', '0', '{}'])},"features":${x},"label":1}`), ['bad-trusted']);
      case 18:
        return m('bad-source-label', enc(`{"id":"${id}","trusted":true,"sourceLabel":${this.pick(['2', '"1"', 'true', '-0.5'])},"features":${x},"label":1}`), ['bad-source-label']);
      case 19: {
        const depth = 1000 + this.int(20_000);
        if (this.int(2) === 0) return m('deep-unclosed', enc(`{"id":"${id}","features":${x},"n":${'['.repeat(depth)}`), ['bad-json']);
        const d = Math.min(depth, 15_000);
        return m('deep-proto', enc(`{"id":"${id}","features":${x},"n":${'['.repeat(d)}{"__proto__":1}${']'.repeat(d)}}`), ['forbidden-key']);
      }
      case 20:
        return m('bad-json-syntax', enc(this.pick(['   ', '\ufeff', `{'id':'${id}'}`, `{"id":"${id}","features":${x},}`, `{"id":"${id}" /* c */,"features":${x}}`, `{"id":"${id}","features":${x}}}`, `{"id":"${id}","features":${x}} {}`, `{"id":"${id}\n","features":${x}}`])), ['bad-json']);
      default: {
        // a valid event with one byte flipped inside its label value: 0/1 → another digit or letter
        const t = this.goodText(id).replace(/"label":[01](?=[,}])/, `"label":${this.pick(['7', 'x', '-', '"'])}`);
        return m('mutated-label', enc(t), ['label-range', 'bad-json']);
      }
    }
  }
}

/** The whole input: good and bad interleaved at random, plus one near-limit message (1 000 000 bytes). */
function generate(): FuzzMessage[] {
  const g = new FuzzGenerator(SEED);
  const mix = new Rng(SEED + 1);
  const out: FuzzMessage[] = [];
  let good = 0;
  let bad = 0;
  while (good < N_GOOD || bad < N_BAD) {
    const wantBad = good >= N_GOOD || (bad < N_BAD && mix.nextInt(N_GOOD + N_BAD) < N_BAD);
    if (wantBad) {
      out.push(g.bad());
      bad++;
    } else {
      out.push(g.good());
      good++;
    }
  }
  // one rejected message near the broker's default max.message.bytes (1 MiB): its DLQ record must be
  // cut (else base64 makes it 1.33 MB, the DLQ send fails and the partition is stuck)
  out.splice(out.length >> 1, 0, { key: enc('near-limit'), value: enc(`{"id":"near-limit","features":[],"pad":"${'q'.repeat(999_950)}"}`), kind: 'near-limit', codes: ['too-large'] });
  return out;
}

let brokers: string;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
const tmp: string[] = [];

beforeAll(async () => {
  brokers = requireBrokers();
  requireBuiltCli();
  kafka = testKafka('dlq-fuzz-int');
  admin = kafka.admin();
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await admin.connect();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  for (const f of tmp) rmSync(f, { force: true });
});

/** Produces `msgs` in order to partition 0 of `topic` (sends of at most ~600 KB); returns each message's offset. */
async function produce(topic: string, msgs: readonly FuzzMessage[]): Promise<string[]> {
  const offsets: string[] = [];
  let i = 0;
  while (i < msgs.length) {
    const batch: FuzzMessage[] = [];
    let bytes = 0;
    while (i < msgs.length && (batch.length === 0 || (bytes + (msgs[i].value?.length ?? 0) < 600_000 && batch.length < 1000))) {
      bytes += msgs[i].value?.length ?? 0;
      batch.push(msgs[i++]);
    }
    const [meta] = await producer.send({
      topic,
      acks: -1,
      messages: batch.map((m) => ({ partition: 0, key: m.key, value: m.value, ...(m.headers ? { headers: m.headers } : {}) })),
    });
    const base = BigInt(meta.baseOffset!);
    for (let k = 0; k < batch.length; k++) offsets.push(String(base + BigInt(k)));
  }
  return offsets;
}

/** Runs the learner over `events` with its own output topics and group; returns the exit, its scores and model. */
async function learn(tag: string, events: string): Promise<{ code: number | null; stderr: string; ms: number; model: string; scores: Map<string, string>; scoreCount: number; dlq: string }> {
  const t = { scores: unique(`${tag}-scores`), dlq: unique(`${tag}-dlq`), metrics: unique(`${tag}-metrics`), snapshots: unique(`${tag}-snap`) };
  const modelOut = join(tmpdir(), `${unique(`${tag}-model`)}.json`);
  tmp.push(modelOut);
  const out = await runCli(
    [
      'run', '--brokers', brokers, '--group-id', unique(`${tag}-group`),
      '--events-topic', events, '--scores-topic', t.scores, '--dlq-topic', t.dlq, '--metrics-topic', t.metrics, '--snapshots-topic', t.snapshots,
      '--dense-dim', String(DIM), '--learning-rate', '0.05',
      '--exit-on-idle', '5', '--log-level', 'warn', '--model-out', modelOut,
    ],
    { brokers },
    150_000,
  );
  expect(out.code, `${tag}: exit code; stderr:\n${out.stderr.slice(-4000)}`).toBe(0);
  const scoreCount = await messageCount(kafka, t.scores);
  const scores = new Map<string, string>();
  for (const { message } of await readAll(kafka, t.scores, scoreCount, 60_000)) {
    const s = JSON.parse(message.value!.toString('utf8')) as { id: string; p: number; z: number };
    expect(scores.has(s.id), `${tag}: a second score for ${s.id}`).toBe(false);
    scores.set(s.id, `${s.p}/${s.z}`); // exact decimal forms of the doubles
  }
  return { code: out.code, stderr: out.stderr, ms: out.ms, model: readFileSync(modelOut, 'utf8'), scores, scoreCount, dlq: t.dlq };
}

interface DlqRecord {
  error: { code: string; reason: string };
  source: { topic: string; partition: number; offset: string };
  key: string | null;
  keyBase64?: string;
  valueBytes: number | null;
  valueTruncated?: boolean;
}

describe('DLQ fuzz run (real broker, built CLI)', () => {
  it(`${N_BAD} malformed + ${N_GOOD} good messages: no crash, every bad one in the DLQ once with its reason and source, the model equals the good-only model bit for bit`, async () => {
    const t0 = Date.now();
    const msgs = generate();
    const good = msgs.filter((m) => m.codes.length === 0);
    const bad = msgs.filter((m) => m.codes.length > 0);
    expect([good.length, bad.length]).toEqual([N_GOOD, N_BAD + 1]);

    const events = unique('fuzz-events');
    const goodOnly = unique('fuzz-good');
    await ensureTopics(admin, { topics: [events, goodOnly], partitions: 1 });
    const offsets = await produce(events, msgs);
    await produce(goodOnly, good);
    const tProduced = Date.now();

    const fuzz = await learn('fuzz', events);
    const ref = await learn('fuzz-ref', goodOnly);

    // every good event scored exactly once, with the same score as in the good-only run
    expect(fuzz.scoreCount).toBe(N_GOOD);
    expect(fuzz.scores.size).toBe(N_GOOD);
    for (const m of good) expect(fuzz.scores.get(m.id!), `score of ${m.id}`).toBe(ref.scores.get(m.id!));
    // the same model, bit for bit (JSON doubles round-trip exactly)
    expect(fuzz.model).toBe(ref.model);
    expect((JSON.parse(fuzz.model) as { weights: number[] }).weights).toHaveLength(DIM);
    expect(ref.scoreCount).toBe(N_GOOD);
    expect(await messageCount(kafka, ref.dlq)).toBe(0);

    // every bad message exactly once in the DLQ, with an expected code, a reason and its source
    expect(await messageCount(kafka, fuzz.dlq)).toBe(N_BAD + 1);
    const expected = new Map<string, FuzzMessage>();
    msgs.forEach((m, i) => {
      if (m.codes.length > 0) expected.set(offsets[i], m);
    });
    const seen = new Set<string>();
    const byCode = new Map<string, number>();
    const byKind = new Map<string, number>();
    for (const { partition, message } of await readAll(kafka, fuzz.dlq, N_BAD + 1, 60_000)) {
      expect(partition).toBe(0);
      const r = JSON.parse(message.value!.toString('utf8')) as DlqRecord;
      expect([r.source.topic, r.source.partition]).toEqual([events, 0]);
      const m = expected.get(r.source.offset);
      expect(m, `DLQ record for offset ${r.source.offset} (not a bad message)`).toBeDefined();
      expect(seen.has(r.source.offset), `a second DLQ record for offset ${r.source.offset}`).toBe(false);
      seen.add(r.source.offset);
      expect(m!.codes, `${m!.kind} at ${r.source.offset}: ${r.error.code} (${r.error.reason})`).toContain(r.error.code);
      expect(r.error.reason.length).toBeGreaterThan(10);
      // the DLQ message's key is the original key; the record describes it
      expect(message.key === null ? null : message.key.toString('hex')).toBe(m!.key === null ? null : m!.key.toString('hex'));
      if (m!.key !== null) expect(r.key === null ? Buffer.from(r.keyBase64!, 'base64').toString('hex') : Buffer.from(r.key).toString('hex')).toBe(m!.key.toString('hex'));
      expect(r.valueBytes).toBe(m!.value === null ? null : m!.value.length);
      if (m!.kind === 'near-limit') expect([r.valueTruncated, message.value!.length < 400_000]).toEqual([true, true]);
      byCode.set(r.error.code, (byCode.get(r.error.code) ?? 0) + 1);
      byKind.set(m!.kind, (byKind.get(m!.kind) ?? 0) + 1);
    }
    expect(seen.size).toBe(N_BAD + 1);
    const sorted = (mp: Map<string, number>) => Object.fromEntries([...mp].sort((a, b) => b[1] - a[1]));
    process.stderr.write(
      `dlq-fuzz: ${msgs.length} messages (${N_BAD + 1} bad, ${N_GOOD} good); produce ${tProduced - t0} ms, fuzz run ${fuzz.ms} ms, good-only run ${ref.ms} ms, total ${Date.now() - t0} ms\n` +
        `dlq-fuzz: codes ${JSON.stringify(sorted(byCode))}\ndlq-fuzz: kinds ${JSON.stringify(sorted(byKind))}\n`,
    );
    // every kind of malformed input occurred: 23 from the generator (22 cases, one with two kinds) and near-limit
    expect(byKind.size).toBe(24);
  }, 400_000);
});
