import { describe, expect, it } from 'vitest';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { resolveKafkaConfig } from './kafka-config.js';
import { createKafkaSink } from './kafka-sink.js';
import { createLeanSink } from './lean-sink.js';
import { createKafkaClient } from './kafka-client.js';

// No broker: port 1 on loopback refuses at once. The real-broker behaviour is in lean-sink.int.test.ts.
const nowhere = resolveKafkaConfig({ brokers: '127.0.0.1:1', connectionTimeoutMs: 500 }, {});

describe('createLeanSink (no broker)', () => {
  it('an empty send resolves without connecting; a send after close is refused with code closed', async () => {
    const sink = createLeanSink({ config: nowhere, retries: 2 });
    await expect(sink.send([])).resolves.toBeUndefined();
    await sink.close();
    const err = await sink.send([{ topic: 't', key: 'k', value: 'v' }]).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaAdapterError);
    expect((err as KafkaAdapterError).code).toBe('closed');
  });

  it('a broker that is not there fails connect and send within the retries with a retriable connect-failed naming the broker and the security setting', async () => {
    const sink = createLeanSink({ config: nowhere, retries: 2 });
    const t0 = Date.now();
    const err = await sink.connect().then(() => null, (e: unknown) => e);
    const sent = await sink.send([{ topic: 't', key: null, value: 'v' }]).then(() => null, (e: unknown) => e);
    await sink.close();
    expect(Date.now() - t0).toBeLessThan(10_000); // 2 × (3 attempts 250 ms apart), not forever
    for (const e of [err, sent]) {
      expect(e).toBeInstanceOf(KafkaAdapterError);
      expect((e as KafkaAdapterError).code).toBe('connect-failed');
      expect((e as KafkaAdapterError).retriable).toBe(true);
      expect((e as Error).message).toContain('127.0.0.1:1');
      expect((e as Error).message).toContain('no SASL, no TLS');
      expect((e as Error).message).toMatch(/ECONNREFUSED/);
    }
  });

  it('createKafkaSink with client lean sends through it (and needs connection settings like platformatic)', () => {
    const kafka = createKafkaClient(resolveKafkaConfig({ brokers: '127.0.0.1:1', producerClient: 'lean' }, {}));
    const sink = createKafkaSink({ kafka });
    expect(sink.client).toBe('lean');
    expect(sink.producer).toBeNull();
  });
});
