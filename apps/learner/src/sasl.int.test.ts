/**
 * SASL on the real broker: this test starts its own SASL broker with infra/kafka/kafka.sh
 * (`up --sasl --port 19094`: a SASL_PLAINTEXT listener with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512,
 * its user created at format time with a random password) and stops it afterwards, so it does not need
 * KAFKA_BROKERS. The built CLI (`node dist/cli.js run`, as `pnpm logit run` starts it) is given the
 * credentials through KAFKA_SASL_MECHANISM / KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD:
 * - right SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN credentials: it consumes and scores every event;
 * - a wrong password: it fails fast (exit ≠ 0) with a message naming the mechanism and the user;
 * - in no case does a password appear in its stdout or stderr.
 * Needs a build (turbo's test:int task builds first; by hand: `npx turbo run build --filter=@logit-stream/learner...`).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageCount, readAll, unique } from './kafka/int-test-support.js';
import { createKafkaClient } from './kafka/kafka-client.js';
import { resolveKafkaConfig } from './kafka/kafka-config.js';
import { produceToNewTopic, requireBuiltCli, runCli, uniqueLearnerTopics } from './testing/kafka-test-kit.js';

const here = dirname(fileURLToPath(import.meta.url));
const kafkaSh = resolve(here, '../../../infra/kafka/kafka.sh');
const PORT = Number(process.env.KAFKA_SASL_PORT ?? 19094);
const BROKERS = `127.0.0.1:${PORT}`;
const USER = 'logit-int';
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const WRONG = `wrong-${randomBytes(12).toString('hex')}`;

/** Runs kafka.sh with the SASL user's credentials; throws with its output when it fails. */
function kafkaShSasl(cmd: 'up' | 'down'): number {
  const t0 = Date.now();
  const r = spawnSync('bash', [kafkaSh, cmd, '--sasl', '--port', String(PORT)], {
    env: { ...process.env, KAFKA_SASL_TEST_USER: USER, KAFKA_SASL_TEST_PASSWORD: PASSWORD },
    encoding: 'utf8',
    timeout: 150_000,
  });
  if (r.status !== 0) throw new Error(`kafka.sh ${cmd} --sasl failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return Date.now() - t0;
}

function saslEnv(mechanism: string, password: string): Record<string, string> {
  return { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: USER, KAFKA_SASL_PASSWORD: password };
}

let kafka: Kafka;

beforeAll(() => {
  requireBuiltCli();
  kafkaShSasl('down'); // a broker left over from a killed run
  const ms = kafkaShSasl('up');
  process.stderr.write(`sasl.int.test: SASL broker up on ${BROKERS} in ${ms} ms\n`);
  kafka = createKafkaClient(resolveKafkaConfig({ brokers: BROKERS, clientId: 'sasl-int', logLevel: 'error' }, saslEnv('scram-sha-256', PASSWORD)));
}, 180_000);

afterAll(() => {
  kafkaShSasl('down');
}, 60_000);

/** Topics of one run and the CLI arguments that use them. */
function runArgs(tag: string, modelOut?: string): { t: Record<string, string>; groupId: string; args: string[] } {
  const t = uniqueLearnerTopics(tag);
  const groupId = unique(`${tag}-group`);
  const args = [
    'run', '--brokers', BROKERS, '--group-id', groupId,
    '--events-topic', t.events, '--scores-topic', t.scores, '--dlq-topic', t.dlq, '--metrics-topic', t.metrics, '--snapshots-topic', t.snapshots,
    '--exit-on-idle', '3', '--log-level', 'info',
    ...(modelOut ? ['--model-out', modelOut] : []),
  ];
  return { t, groupId, args };
}

async function produceEvents(topic: string, n: number): Promise<void> {
  const messages = [];
  for (let i = 0; i < n; i++) {
    const x = ((i * 37) % 101) / 50 - 1;
    messages.push({ key: `s-${i}`, value: JSON.stringify({ id: `s-${i}`, features: { x, y: -x / 2 }, label: x > 0 ? 1 : 0 }) });
  }
  await produceToNewTopic(kafka, topic, messages);
}

function expectNoSecret(out: { stdout: string; stderr: string }): void {
  for (const secret of [PASSWORD, WRONG]) {
    expect(out.stdout.includes(secret), 'a password in stdout').toBe(false);
    expect(out.stderr.includes(secret), 'a password in stderr').toBe(false);
  }
}

describe('logit run on a SASL broker (real broker started by kafka.sh up --sasl)', () => {
  // The kafkajs consumer with every mechanism; the lean consumer (KAFKA_CONSUMER_CLIENT=lean) with one.
  const cases: [string, string][] = [
    ['scram-sha-256', 'kafkajs'],
    ['scram-sha-512', 'kafkajs'],
    ['plain', 'kafkajs'],
    ['scram-sha-512', 'lean'],
  ];
  for (const [mechanism, consumerClient] of cases) {
    it(`${mechanism} with the right credentials, ${consumerClient} consumer: consumes and scores every event, logs no password`, async () => {
      const modelOut = join(tmpdir(), `${unique('sasl-model')}.json`);
      const { t, args } = runArgs(`sasl-${mechanism}-${consumerClient}`, modelOut);
      await produceEvents(t.events, 300);
      const out = await runCli(args, { env: { ...saslEnv(mechanism, PASSWORD), KAFKA_CONSUMER_CLIENT: consumerClient } }, 90_000);
      process.stderr.write(`sasl.int.test: ${mechanism} right credentials, ${consumerClient} consumer: exit ${out.code} after ${out.ms} ms\n`);
      expect(out.code, `exit code; stderr:\n${out.stderr.slice(-3000)}`).toBe(0);
      expectNoSecret(out);
      const final = JSON.parse(out.stdout.trim().split('\n').pop()!) as { events: { seen: number } };
      expect(final.events.seen).toBe(300);
      expect(await messageCount(kafka, t.scores)).toBe(300);
      const scores = await readAll(kafka, t.scores, 300, 30_000);
      expect(new Set(scores.map((s) => s.message.key!.toString())).size).toBe(300);
      const model = JSON.parse(readFileSync(modelOut, 'utf8')) as { bias: number };
      expect(Number.isFinite(model.bias)).toBe(true);
    }, 120_000);
  }

  it('at debug log level (the learner and kafkajs), neither the right nor a wrong password is logged', async () => {
    for (const password of [PASSWORD, WRONG]) {
      const { t, args } = runArgs('sasl-debug');
      if (password === PASSWORD) await produceEvents(t.events, 20);
      const debugArgs = args.map((a) => (a === 'info' ? 'debug' : a));
      const out = await runCli(debugArgs, { env: { ...saslEnv('scram-sha-512', password), KAFKA_LOG_LEVEL: 'debug' } }, 90_000);
      expect(out.code === 0, `exit ${out.code} with the ${password === PASSWORD ? 'right' : 'wrong'} password`).toBe(password === PASSWORD);
      expect(out.stderr.length, 'debug logs were written').toBeGreaterThan(2000);
      expect(out.stderr, 'kafkajs logged the SASL exchange').toMatch(/SASL SCRAM SHA512/);
      expectNoSecret(out);
    }
  }, 150_000);

  for (const mechanism of ['scram-sha-256', 'scram-sha-512', 'plain']) {
    it(`${mechanism} with a wrong password: fails fast, names the mechanism and the user, never a password`, async () => {
      const { args } = runArgs(`sasl-bad-${mechanism}`);
      const out = await runCli(args, { env: saslEnv(mechanism, WRONG) }, 60_000);
      process.stderr.write(`sasl.int.test: ${mechanism} wrong password: exit ${out.code} after ${out.ms} ms\n`);
      expect(out.code).not.toBe(0);
      expect(out.code).not.toBeNull();
      expect(out.ms).toBeLessThan(30_000);
      const line = out.stderr.split('\n').find((l) => l.startsWith('error: '));
      expect(line, `an error line on stderr:\n${out.stderr.slice(-3000)}`).toBeDefined();
      expect(line).toContain(`refused SASL ${mechanism.toUpperCase()} authentication of user "${USER}"`);
      expect(line).toContain(BROKERS);
      expectNoSecret(out);
    }, 90_000);
  }
});
