import { createServer, type Server } from 'node:net';
import { metadataV12 } from '@platformatic/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaAdapterError } from '../kafka-adapter-error.js';
import { resolveKafkaConfig } from '../kafka-config.js';
import type { StructuredLogger } from '../structured-logger.js';
import { createLeanBrokers, kafkaErrorName, lenientParser, parseBrokerAddress } from './lean-brokers.js';

const quiet: StructuredLogger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server === undefined ? r() : server.close(() => r())));
  server = undefined;
});

/** A port with nothing listening on it: a server is opened there and closed again. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('lean-brokers helpers', () => {
  it('parseBrokerAddress: host:port, IPv6 in brackets', () => {
    expect(parseBrokerAddress('127.0.0.1:9092')).toEqual({ host: '127.0.0.1', port: 9092 });
    expect(parseBrokerAddress('[::1]:19092')).toEqual({ host: '::1', port: 19092 });
    expect(parseBrokerAddress('kafka-0.svc:9093')).toEqual({ host: 'kafka-0.svc', port: 9093 });
  });

  it('kafkaErrorName: names of known codes, a fallback for unknown ones', () => {
    expect(kafkaErrorName(16)).toBe('NOT_COORDINATOR');
    expect(kafkaErrorName(25)).toBe('UNKNOWN_MEMBER_ID');
    expect(kafkaErrorName(110)).toBe('FENCED_MEMBER_EPOCH');
    expect(kafkaErrorName(9999)).toBe('error code 9999');
  });

  it('lenientParser returns the response a parser throws with, rethrows other errors', () => {
    const response = { errorCode: 3 };
    const throwsWithResponse = lenientParser(() => {
      throw Object.assign(new Error('response with error'), { response });
    });
    expect(throwsWithResponse(1, 3, 12, undefined as never)).toBe(response);
    const broken = lenientParser(() => {
      throw new Error('truncated');
    });
    expect(() => broken(1, 3, 12, undefined as never)).toThrow('truncated');
    expect(typeof lenientParser(metadataV12.parseResponse)).toBe('function');
  });
});

describe('createLeanBrokers without a broker', () => {
  it('any() on a port nobody listens on: connect-failed, retriable, naming the broker', async () => {
    const port = await freePort();
    const brokers = createLeanBrokers(resolveKafkaConfig({ brokers: `127.0.0.1:${port}`, connectionTimeoutMs: 2000 }, {}), 't', quiet);
    const e = await brokers.any().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KafkaAdapterError);
    expect((e as KafkaAdapterError).code).toBe('connect-failed');
    expect((e as KafkaAdapterError).retriable).toBe(true);
    expect((e as Error).message).toContain(`127.0.0.1:${port}`);
    await brokers.close();
  });

  it('a request to a peer that never answers times out, rejects, and the next call connects anew', async () => {
    let accepted = 0;
    server = createServer((socket) => {
      accepted++;
      socket.on('data', () => {}); // swallow requests, never answer
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const brokers = createLeanBrokers(resolveKafkaConfig({ brokers: `127.0.0.1:${port}`, requestTimeoutMs: 200 }, {}), 't', quiet);
    const e = await brokers.metadata(['t']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KafkaAdapterError);
    expect((e as KafkaAdapterError).code).toBe('metadata-failed');
    expect((e as KafkaAdapterError).retriable).toBe(true);
    await brokers.metadata(['t']).catch(() => {});
    expect(accepted).toBe(2); // the timed-out connection was dropped, not reused
    await brokers.close();
    await expect(brokers.any()).rejects.toMatchObject({ code: 'closed' });
  });
});
