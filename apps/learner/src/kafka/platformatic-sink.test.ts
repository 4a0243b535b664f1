import { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { resolveKafkaConfig } from './kafka-config.js';
import { createKafkaSink } from './kafka-sink.js';
import { createPlatformaticSink } from './platformatic-sink.js';

// No broker: port 1 on loopback refuses at once. The real-broker behaviour is in kafka-sink.int.test.ts.
const nowhere = resolveKafkaConfig({ brokers: '127.0.0.1:1', connectionTimeoutMs: 500 }, {});

describe('createPlatformaticSink (no broker)', () => {
  it('an empty send resolves without connecting; a send after close is refused with code closed', async () => {
    const sink = createPlatformaticSink({ config: nowhere, retries: 2 });
    await expect(sink.send([])).resolves.toBeUndefined();
    await sink.close();
    const err = await sink.send([{ topic: 't', key: 'k', value: 'v' }]).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaAdapterError);
    expect((err as KafkaAdapterError).code).toBe('closed');
  });

  it('a broker that is not there fails connect within the retries (not forever) with a retriable connect-failed naming the broker', async () => {
    const sink = createPlatformaticSink({ config: nowhere, retries: 2 });
    const err = await sink.connect().then(() => null, (e: unknown) => e);
    await sink.close();
    expect(err).toBeInstanceOf(KafkaAdapterError);
    expect((err as KafkaAdapterError).code).toBe('connect-failed');
    expect((err as KafkaAdapterError).retriable).toBe(true);
    expect((err as Error).message).toContain('127.0.0.1:1');
  });
});

describe('createKafkaSink client choice', () => {
  it('platformatic needs connection settings: a kafkajs client not made by createKafkaClient is refused with bad-setting', () => {
    const kafka = new Kafka({ brokers: ['127.0.0.1:1'] });
    expect(() => createKafkaSink({ kafka, client: 'platformatic' })).toThrow(KafkaAdapterError);
    expect(createKafkaSink({ kafka, client: 'platformatic', connection: nowhere }).client).toBe('platformatic');
    expect(createKafkaSink({ kafka }).client).toBe('kafkajs');
  });
});
