/**
 * An external client that is not ours uses the service: `kcat` (librdkafka) produces keyed JSON
 * events to a fresh topic on the real broker, the built `logit run` command scores them, and `kcat`
 * reads the scores and the dead letters back. Needs KAFKA_BROKERS (kafka.sh with-test-broker) and a
 * build (`npx turbo run build --filter=@logit-stream/learner...`; turbo's test:int task builds first).
 * kcat itself comes from infra/tools/ensure-kcat.sh (Debian package `kcat`) when it is missing.
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kafka } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { messageCount, requireBrokers, testKafka, unique } from './kafka/int-test-support.js';
import { ensureTopics } from './kafka/topics.js';
import { requireBuiltCli, runCli } from './testing/kafka-test-kit.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');

let brokers: string;
let kcat: string;
let kafka: Kafka;

/** Runs kcat with `args` (and `input` on stdin), bounded by `timeoutMs`; fails loudly on a non-zero exit. */
function runKcat(args: string[], input: string | undefined, timeoutMs: number): string {
  const r = spawnSync(kcat, args, { input, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`kcat ${args.join(' ')} failed: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`kcat ${args.join(' ')} exited with ${r.status} (signal ${r.signal}): ${r.stderr}`);
  return r.stdout;
}

/** Reads a whole topic with kcat (`-C -e`: stop at the end) as [key, value] pairs. */
function kcatReadAll(topic: string): [string, string][] {
  const out = runKcat(['-C', '-b', brokers, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k\t%s\n'], undefined, 60_000);
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const tab = l.indexOf('\t');
      return [l.slice(0, tab), l.slice(tab + 1)];
    });
}

beforeAll(() => {
  brokers = requireBrokers();
  requireBuiltCli();
  const ensure = spawnSync('bash', [resolve(repoRoot, 'infra/tools/ensure-kcat.sh')], { encoding: 'utf8', timeout: 300_000 });
  if (ensure.status !== 0) throw new Error(`infra/tools/ensure-kcat.sh could not provide kcat (exit ${ensure.status}): ${ensure.stderr}`);
  kcat = ensure.stdout.trim().split('\n').pop()!;
  kafka = testKafka('kcat-int');
}, 320_000);

interface TestEvent {
  id: string;
  ts: number;
  features: Record<string, number>;
  label?: number | null;
}

describe('an external Kafka client (kcat) uses logit run', () => {
  it('kcat-produced events each get exactly one score, in order, with finite z and p = σ(z) in [0,1]; bad ones go to the DLQ', async () => {
    const events = unique('kc-events');
    const scores = unique('kc-scores');
    const dlq = unique('kc-dlq');
    const metrics = unique('kc-metrics');
    const snapshots = unique('kc-snapshots');
    const groupId = unique('kc-group');

    // 600 good events: hard, soft and missing labels, 1-6 named features each; plus 2 bad ones.
    const good: TestEvent[] = [];
    let seed = 12345;
    const rand = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let i = 0; i < 600; i++) {
      const features: Record<string, number> = {};
      const k = 1 + (i % 6);
      for (let j = 0; j < k; j++) features[`f${(i * 7 + j) % 40}`] = Math.round((rand() * 2 - 1) * 1e6) / 1e6;
      const label = i % 10 === 9 ? null : i % 10 === 8 ? 0.75 : rand() < 0.5 ? 1 : 0;
      const e: TestEvent = { id: `kc-${i}`, ts: 1732300000000 + i, features };
      if (label !== null || i % 20 === 9) e.label = label; // null label half the time, absent the other half
      good.push(e);
    }
    const bad: [string, string][] = [
      ['bad-label', JSON.stringify({ id: 'bad-label', features: { a: 1 }, label: 7 })],
      ['bad-json', '{"id": "bad-json", "features": {'],
    ];
    const lines = good.map((e) => `${e.id}\t${JSON.stringify(e)}`);
    lines.splice(100, 0, bad[0].join('\t'));
    lines.splice(400, 0, bad[1].join('\t'));

    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, { topics: [events], partitions: 1 });
    } finally {
      await admin.disconnect();
    }
    runKcat(['-P', '-b', brokers, '-t', events, '-K', '\t', '-X', 'acks=all'], `${lines.join('\n')}\n`, 60_000);
    expect(await messageCount(kafka, events)).toBe(good.length + bad.length);

    const run = await runCli(
      [
        'run',
        '--brokers', brokers,
        '--events-topic', events,
        '--scores-topic', scores,
        '--dlq-topic', dlq,
        '--metrics-topic', metrics,
        '--snapshots-topic', snapshots,
        '--group-id', groupId,
        '--exit-on-idle', '5', // the idle clock starts before the group join: leave the join room on a loaded machine
        '--log-level', 'warn',
      ],
      { brokers },
      90_000,
    );
    expect(run.code, `logit run exited with ${run.code} (signal ${run.signal}); stderr:\n${run.stderr.slice(-4000)}`).toBe(0);

    const read = kcatReadAll(scores);
    const byId = new Map<string, number>();
    for (const [key, value] of read) {
      const s = JSON.parse(value) as { id: string; z: number; p: number; pCalibrated: number; modelVersion: number; label: number | null };
      expect(key).toBe(s.id);
      byId.set(s.id, (byId.get(s.id) ?? 0) + 1);
    }
    // Exactly one score per good event, none for the bad ones.
    expect(read.length).toBe(good.length);
    for (const e of good) expect(byId.get(e.id), `scores for ${e.id}`).toBe(1);
    expect(byId.has('bad-label') || byId.has('bad-json')).toBe(false);

    // Scores come back in event order (one partition); each is prequential: modelVersion counts the
    // labelled events before it (log loss + SGD updates on every labelled event); p = σ(z) to 1e-12.
    let labelled = 0;
    read.forEach(([, value], i) => {
      const s = JSON.parse(value) as { id: string; z: number; p: number; pCalibrated: number; modelVersion: number; label: number | null };
      const e = good[i];
      expect(s.id).toBe(e.id);
      expect(Number.isFinite(s.z)).toBe(true);
      expect(s.p).toBeGreaterThanOrEqual(0);
      expect(s.p).toBeLessThanOrEqual(1);
      expect(Math.abs(s.p - 1 / (1 + Math.exp(-s.z)))).toBeLessThan(1e-12);
      expect(s.pCalibrated).toBeGreaterThanOrEqual(0);
      expect(s.pCalibrated).toBeLessThanOrEqual(1);
      expect(s.label).toBe(e.label ?? null);
      expect(s.modelVersion).toBe(labelled);
      if (e.label !== undefined && e.label !== null) labelled++;
    });
    // The model learned: not every score is the initial p = 0.5.
    expect(read.some(([, v]) => (JSON.parse(v) as { z: number }).z !== 0)).toBe(true);

    const dead = kcatReadAll(dlq);
    expect(dead.map(([k]) => k).sort()).toEqual(['bad-json', 'bad-label']);
  });
});
