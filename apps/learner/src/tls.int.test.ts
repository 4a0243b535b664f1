/**
 * TLS on the real broker: this test starts its own TLS broker with infra/kafka/kafka.sh
 * (`up --tls --port 19096`: an SSL listener; a fresh self-signed CA, broker and client certificates
 * made by infra/kafka/tls-certs.sh with openssl into .run/tls-19096/tls/) and stops it afterwards, so
 * it does not need KAFKA_BROKERS. The built CLI (`node dist/cli.js run`) is configured through
 * KAFKA_TLS_CA_FILE (and KAFKA_TLS_CERT_FILE / KAFKA_TLS_KEY_FILE for a client certificate):
 * - trusting the test CA, with and without a client certificate: it consumes and scores every event;
 * - trusting only the system's CAs: it fails with 'tls-failed', saying which CA it trusted and what to set.
 * Needs a build (turbo's test:int task builds first).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageCount, unique } from './kafka/int-test-support.js';
import { createKafkaClient } from './kafka/kafka-client.js';
import { resolveKafkaConfig } from './kafka/kafka-config.js';
import { produceToNewTopic, requireBuiltCli, runCli, uniqueLearnerTopics } from './testing/kafka-test-kit.js';

const here = dirname(fileURLToPath(import.meta.url));
const kafkaSh = resolve(here, '../../../infra/kafka/kafka.sh');
const PORT = Number(process.env.KAFKA_TLS_PORT ?? 19096);
const BROKERS = `127.0.0.1:${PORT}`;
const TLS_DIR = resolve(here, `../../../infra/kafka/.run/tls-${PORT}/tls`);
const CA = join(TLS_DIR, 'ca.pem');

function kafkaShTls(cmd: 'up' | 'down'): number {
  const t0 = Date.now();
  const r = spawnSync('bash', [kafkaSh, cmd, '--tls', '--port', String(PORT)], { encoding: 'utf8', timeout: 150_000 });
  if (r.status !== 0) throw new Error(`kafka.sh ${cmd} --tls failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return Date.now() - t0;
}

let kafka: Kafka;

beforeAll(() => {
  requireBuiltCli();
  kafkaShTls('down');
  const ms = kafkaShTls('up');
  process.stderr.write(`tls.int.test: TLS broker up on ${BROKERS} in ${ms} ms\n`);
  kafka = createKafkaClient(resolveKafkaConfig({ brokers: BROKERS, clientId: 'tls-int', logLevel: 'error', tlsCaFile: CA }, {}));
}, 180_000);

afterAll(() => {
  kafkaShTls('down');
}, 60_000);

function runArgs(tag: string): { t: Record<string, string>; args: string[] } {
  const t = uniqueLearnerTopics(tag);
  const args = [
    'run', '--brokers', BROKERS, '--group-id', unique(`${tag}-group`),
    '--events-topic', t.events, '--scores-topic', t.scores, '--dlq-topic', t.dlq, '--metrics-topic', t.metrics, '--snapshots-topic', t.snapshots,
    '--exit-on-idle', '3', '--log-level', 'warn',
  ];
  return { t, args };
}

async function produceEvents(topic: string, n: number): Promise<void> {
  const messages = Array.from({ length: n }, (_, i) => ({ key: `t-${i}`, value: JSON.stringify({ id: `t-${i}`, features: { x: (i % 7) - 3 }, label: i % 7 > 3 ? 1 : 0 }) }));
  await produceToNewTopic(kafka, topic, messages);
}

describe('logit run on a TLS broker (real broker started by kafka.sh up --tls)', () => {
  const clientCert = { KAFKA_TLS_CA_FILE: CA, KAFKA_TLS_CERT_FILE: join(TLS_DIR, 'client.pem'), KAFKA_TLS_KEY_FILE: join(TLS_DIR, 'client.key') };
  const variants: [string, Record<string, string>][] = [
    ['the test CA', { KAFKA_TLS_CA_FILE: CA }],
    ['the test CA and a client certificate', clientCert],
    ['the test CA and a client certificate, lean consumer', { ...clientCert, KAFKA_CONSUMER_CLIENT: 'lean' }],
  ];
  for (const [what, env] of variants) {
    it(`trusting ${what}: consumes and scores every event`, async () => {
      const { t, args } = runArgs('tls');
      await produceEvents(t.events, 200);
      const out = await runCli(args, { env }, 90_000);
      process.stderr.write(`tls.int.test: ${what}: exit ${out.code} after ${out.ms} ms\n`);
      expect(out.code, `exit code; stderr:\n${out.stderr.slice(-3000)}`).toBe(0);
      const final = JSON.parse(out.stdout.trim().split('\n').pop()!) as { events: { seen: number } };
      expect(final.events.seen).toBe(200);
      expect(await messageCount(kafka, t.scores)).toBe(200);
    }, 120_000);
  }

  it("trusting only the system's CAs: refuses the self-signed broker with 'tls-failed' and says what to set", async () => {
    const { args } = runArgs('tls-bad');
    const out = await runCli(args, { env: { KAFKA_TLS: 'true' } }, 90_000);
    process.stderr.write(`tls.int.test: system CAs only: exit ${out.code} after ${out.ms} ms\n`);
    expect(out.code).toBe(1);
    const line = out.stderr.split('\n').find((l) => l.startsWith('error: '));
    expect(line, `an error line on stderr:\n${out.stderr.slice(-3000)}`).toBeDefined();
    expect(line).toMatch(/^error: TLS to 127\.0\.0\.1:\d+ failed: .*certificate.* \(trusting the system's CAs\); set KAFKA_TLS_CA_FILE/);
  }, 120_000);
});
