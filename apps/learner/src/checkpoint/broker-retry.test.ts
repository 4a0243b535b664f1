import { describe, expect, it } from 'vitest';
import { KafkaAdapterError } from '../kafka/kafka-adapter-error.js';
import { isBrokerOutage, retryWhileBrokerDown, retryingSink } from './broker-retry.js';

const warnings: string[] = [];
const logger = { info() {}, warn: (_o: unknown, m: string) => void warnings.push(m), error() {}, debug() {} };

describe('retryWhileBrokerDown', () => {
  it('retries a failed send while the broker is away and succeeds once it is back', async () => {
    let calls = 0;
    const sink = retryingSink(
      {
        send: async () => {
          if (++calls < 3) throw new KafkaAdapterError('send-failed', 'Connection error: connect ECONNREFUSED 127.0.0.1:1', { cause: new Error('ECONNREFUSED') });
        },
        close: async () => {},
      },
      { maxWaitMs: 10_000, logger, initialDelayMs: 1 },
    );
    await sink.send([{ topic: 't', key: null, value: 'v' }]);
    expect(calls).toBe(3);
    expect(warnings.filter((w) => w.includes('retrying')).length).toBe(2);
  });

  it('rethrows at once what is not an outage (a final protocol answer, another error code)', async () => {
    const tooLarge = Object.assign(new Error('The request included a message larger than the max message size'), { name: 'KafkaJSProtocolError', retriable: false });
    const e = new KafkaAdapterError('send-failed', 'too large', { cause: tooLarge });
    expect(isBrokerOutage(e)).toBe(false);
    expect(isBrokerOutage(new KafkaAdapterError('closed', 'closed'))).toBe(false);
    let calls = 0;
    await expect(
      retryWhileBrokerDown(async () => {
        calls++;
        throw e;
      }, 'x', { maxWaitMs: 10_000, logger, initialDelayMs: 1 }),
    ).rejects.toBe(e);
    expect(calls).toBe(1);
  });

  it('gives up once the broker has been failing for maxWaitMs', async () => {
    let calls = 0;
    const e = new KafkaAdapterError('commit-failed', 'broker down');
    await expect(
      retryWhileBrokerDown(async () => {
        calls++;
        throw e;
      }, 'x', { maxWaitMs: 30, logger, initialDelayMs: 5 }),
    ).rejects.toBe(e);
    // 5 + 10 + 20 ms of pauses reach 30 ms: 3 to 5 attempts depending on timer granularity.
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(5);
  });
});
