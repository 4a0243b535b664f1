import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { isBrokerOutage } from '../checkpoint/broker-retry.js';
import type { OutputRecord, ResultSink } from '../io/types.js';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { resolveKafkaConfig } from './kafka-config.js';
import { createLeanSink } from './lean-sink.js';
import { createPortSink, createThreadedSink, fromWorkerSettings, portThread, toWorkerSettings, type SinkThread } from './threaded-sink.js';
import { serveSink, type SinkReply, type SinkRequest } from './threaded-sink-server.js';

/** A sink that records what it got (as bytes) and settles each send when the test says so. */
function recordingSink() {
  const got: { topic: string; key: string | null; value: string; headers?: Record<string, string> }[][] = [];
  const settle: ((e?: unknown) => void)[] = [];
  let closed = 0;
  const sink: ResultSink = {
    send: (records: readonly OutputRecord[]) => {
      got.push(records.map((r) => ({ topic: r.topic, key: r.key === null ? null : Buffer.from(r.key).toString('utf8'), value: Buffer.from(r.value).toString('utf8'), ...(r.headers ? { headers: r.headers } : {}) })));
      return new Promise<void>((res, rej) => settle.push((e) => (e === undefined ? res() : rej(e))));
    },
    close: async () => {
      closed++;
    },
  };
  return { sink, got, settle, closedCount: () => closed };
}

function channelSink(sink: ResultSink) {
  let starts = 0;
  const s = createPortSink(() => {
    starts++;
    const { port1, port2 } = new MessageChannel();
    serveSink(port1, sink);
    return portThread(port2);
  });
  return { s, starts: () => starts };
}

const until = async (cond: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

describe('createPortSink + serveSink (the threaded sink over a MessageChannel)', () => {
  it('un-awaited sends reach the sink in call order with their bytes, and each resolves only when the sink resolved it', async () => {
    const r = recordingSink();
    const { s } = channelSink(r.sink);
    const done: number[] = [];
    const sends = [0, 1, 2].map((i) =>
      s.send([
        { topic: 'scores', key: `e-${i}`, value: Buffer.from(`{"id":"e-${i}"}`) },
        { topic: 'metrics', key: null, value: `{"n":${i}}`, headers: { h: 'ü' } },
      ]).then(() => done.push(i)),
    );
    await until(() => r.got.length === 3, 'three sends');
    expect(r.got.map((g) => g[0].key)).toEqual(['e-0', 'e-1', 'e-2']);
    expect(r.got[2]).toEqual([
      { topic: 'scores', key: 'e-2', value: '{"id":"e-2"}' },
      { topic: 'metrics', key: null, value: '{"n":2}', headers: { h: 'ü' } },
    ]);
    await new Promise((res) => setTimeout(res, 20));
    expect(done).toEqual([]); // nothing acknowledged yet
    r.settle[1]();
    await until(() => done.length === 1, 'the second send');
    expect(done).toEqual([1]);
    r.settle[0]();
    r.settle[2]();
    await Promise.all(sends);
    expect(done.sort()).toEqual([0, 1, 2]);
    await s.close();
    expect(r.closedCount()).toBe(1);
  });

  it("a failed send rejects with the sink's KafkaAdapterError code, message and retriable flag; the next send goes on", async () => {
    const r = recordingSink();
    const { s } = channelSink(r.sink);
    const first = s.send([{ topic: 't', key: 'a', value: 'v' }]).then(() => null, (e: unknown) => e);
    await until(() => r.settle.length === 1, 'the send');
    r.settle[0](new KafkaAdapterError('send-refused', 'sending 1 record(s) to t was refused: MESSAGE_TOO_LARGE', { retriable: false }));
    const e = (await first) as KafkaAdapterError;
    expect(e).toBeInstanceOf(KafkaAdapterError);
    expect([e.code, e.message, e.retriable]).toEqual(['send-refused', 'sending 1 record(s) to t was refused: MESSAGE_TOO_LARGE', false]);
    const second = s.send([{ topic: 't', key: 'b', value: 'v' }]);
    await until(() => r.settle.length === 2, 'the second send');
    r.settle[1](new KafkaAdapterError('send-failed', 'broker away', { retriable: true }));
    await expect(second).rejects.toMatchObject({ code: 'send-failed', retriable: true });
    const third = s.send([{ topic: 't', key: 'c', value: 'v' }]);
    await until(() => r.settle.length === 3, 'the third send');
    r.settle[2]();
    await expect(third).resolves.toBeUndefined();
    await s.close();
  });

  it("an error without a code (a bug, not the broker) stays a plain Error: the retrying sink does not take it for a broker outage, as with the lean sink on the learner's thread", async () => {
    const r = recordingSink();
    const { s } = channelSink(r.sink);
    const first = s.send([{ topic: 't', key: 'a', value: 'v' }]).then(() => null, (e: unknown) => e);
    await until(() => r.settle.length === 1, 'the send');
    r.settle[0](new TypeError("Cannot read properties of undefined (reading 'length')"));
    const e = (await first) as Error;
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(KafkaAdapterError);
    expect(e.message).toBe("Cannot read properties of undefined (reading 'length')");
    expect(isBrokerOutage(e)).toBe(false);
    await s.close();
  });

  it('close waits for the sends in flight and closes the sink once; a send or connect after close is refused with code closed; an empty send never starts a thread', async () => {
    const r = recordingSink();
    const { s, starts } = channelSink(r.sink);
    await expect(s.send([])).resolves.toBeUndefined();
    expect(starts()).toBe(0);
    const inFlight = s.send([{ topic: 't', key: 'a', value: 'v' }]);
    await until(() => r.settle.length === 1, 'the send');
    let closedAt = -1;
    const closing = s.close().then(() => (closedAt = r.closedCount()));
    await new Promise((res) => setTimeout(res, 10));
    expect(closedAt).toBe(-1); // still waiting for the send in flight
    r.settle[0]();
    await inFlight;
    await closing;
    await s.close();
    expect(r.closedCount()).toBe(1);
    await expect(s.send([{ topic: 't', key: 'b', value: 'v' }])).rejects.toMatchObject({ code: 'closed' });
    await expect(s.connect()).rejects.toMatchObject({ code: 'closed' });
  });
});

/** A thread the test drives by hand: it sees the requests and answers or dies on cue. */
function manualThread() {
  // `refd`: whether the thread would hold the process open (a new Worker does).
  const threads: (EventEmitter & { requests: SinkRequest[]; ended: boolean; refd: boolean })[] = [];
  const start = (): SinkThread => {
    const t = Object.assign(new EventEmitter(), { requests: [] as SinkRequest[], ended: false, refd: true });
    threads.push(t);
    return {
      postMessage: (m) => t.requests.push(m),
      on: (event: string, f: (x: any) => void) => t.on(event, f),
      ref: () => {
        t.refd = true;
      },
      unref: () => {
        t.refd = false;
      },
      end: async () => {
        t.ended = true;
      },
    };
  };
  return { threads, start };
}

describe('createPortSink (thread lifecycle and shared buffers)', () => {
  it('a producer thread that exits fails the sends in flight as send-failed (retriable); the next send starts a new thread', async () => {
    const m = manualThread();
    const s = createPortSink(m.start);
    const a = s.send([{ topic: 't', key: 'a', value: 'v' }]).then(() => null, (e: unknown) => e);
    const b = s.send([{ topic: 't', key: 'b', value: 'v' }]).then(() => null, (e: unknown) => e);
    expect(m.threads).toHaveLength(1);
    m.threads[0].emit('exit', 1);
    for (const e of [await a, await b]) {
      expect(e).toBeInstanceOf(KafkaAdapterError);
      expect((e as KafkaAdapterError).code).toBe('send-failed');
      expect((e as KafkaAdapterError).retriable).toBe(true);
      expect((e as Error).message).toContain('producer thread stopped (exit code 1)');
    }
    expect(m.threads[0].ended).toBe(true);
    const c = s.send([{ topic: 't', key: 'c', value: 'v' }]);
    expect(m.threads).toHaveLength(2);
    const req = m.threads[1].requests[0] as Extract<SinkRequest, { op: 'send' }>;
    m.threads[1].emit('message', { id: req.id } satisfies SinkReply);
    await expect(c).resolves.toBeUndefined();
    // A late error of the dead thread changes nothing.
    m.threads[0].emit('error', new Error('late'));
  });

  it('reuses the buffer a settled send handed back for the next one, and takes a larger one for a send that does not fit', async () => {
    const m = manualThread();
    const s = createPortSink(m.start);
    const bufferOf = (i: number): ArrayBuffer => (m.threads[0].requests[i] as Extract<SinkRequest, { op: 'send' }>).packed.buffer;
    const p0 = s.send([{ topic: 't', key: 'a', value: 'v' }]);
    const answer = (i: number): void => {
      const req = m.threads[0].requests[i];
      m.threads[0].emit('message', { id: req.id, buffer: bufferOf(i) } satisfies SinkReply);
    };
    const p1 = s.send([{ topic: 't', key: 'b', value: 'v' }]); // while the first holds its buffer: another one
    expect(bufferOf(1)).not.toBe(bufferOf(0));
    answer(0);
    answer(1);
    await Promise.all([p0, p1]);
    const p2 = s.send([{ topic: 't', key: 'c', value: 'v' }]);
    expect([bufferOf(0), bufferOf(1)]).toContain(bufferOf(2));
    answer(2);
    await p2;
    const big = 'x'.repeat(400_000);
    const p3 = s.send([{ topic: 't', key: null, value: big }]);
    expect(bufferOf(3).byteLength).toBeGreaterThanOrEqual(3 * big.length);
    answer(3);
    await p3;
    // A send over 4 MiB (a model snapshot) gets a buffer of its own that is not kept afterwards.
    const huge = Buffer.alloc(5 * 1024 * 1024, 1);
    const p4 = s.send([{ topic: 't', key: null, value: huge }]);
    answer(4);
    await p4;
    const p5 = s.send([{ topic: 't', key: null, value: huge }]);
    expect(bufferOf(5)).not.toBe(bufferOf(4));
    answer(5);
    await p5;
  });

  it('an answer the thread sent that cannot be read (messageerror) fails the sends in flight as send-failed (retriable) and the next send starts a new thread', async () => {
    const m = manualThread();
    const s = createPortSink(m.start);
    const a = s.send([{ topic: 't', key: 'a', value: 'v' }]).then(() => null, (e: unknown) => e);
    m.threads[0].emit('messageerror', new Error('could not deserialize'));
    const e = (await a) as KafkaAdapterError;
    expect([e.code, e.retriable]).toEqual(['send-failed', true]);
    expect(e.message).toContain('an answer could not be read: could not deserialize');
    void s.send([{ topic: 't', key: 'b', value: 'v' }]).catch(() => {});
    expect(m.threads).toHaveLength(2);
  });

  it('the thread holds the process open only while a request is pending: a failed connect or the last settled send lets it exit (as the lean sink, whose failed connections are destroyed), the next send holds it again', async () => {
    const m = manualThread();
    const s = createPortSink(m.start);
    const c = s.connect().then(() => null, (e: unknown) => e);
    const t = m.threads[0];
    expect(t.refd).toBe(true); // the connect is pending
    t.emit('message', { id: t.requests[0].id, error: { code: 'auth-failed', message: 'the broker refused SASL', retriable: false } } satisfies SinkReply);
    expect(await c).toMatchObject({ code: 'auth-failed', retriable: false });
    expect(t.refd).toBe(false); // nothing pending: `logit run` exits with its error at once
    const a = s.send([{ topic: 't', key: 'a', value: 'v' }]);
    const b = s.send([{ topic: 't', key: 'b', value: 'v' }]);
    expect(t.refd).toBe(true); // sends pending: the process must not exit under them
    t.emit('message', { id: t.requests[1].id } satisfies SinkReply);
    await a;
    expect(t.refd).toBe(true); // b still pending
    t.emit('message', { id: t.requests[2].id } satisfies SinkReply);
    await b;
    expect(t.refd).toBe(false);
    const closing = s.close();
    await until(() => t.requests.length === 4, 'the close request');
    expect(t.refd).toBe(true); // the close request is pending
    t.emit('message', { id: t.requests[3].id } satisfies SinkReply);
    await closing;
    expect(t.ended).toBe(true);
  });

  it('close resolves when the thread dies while closing: every send was settled before the close went out, so nothing is lost (the lean sink\'s close does not reject either)', async () => {
    const m = manualThread();
    const s = createPortSink(m.start);
    const a = s.send([{ topic: 't', key: 'a', value: 'v' }]);
    const t = m.threads[0];
    t.emit('message', { id: t.requests[0].id } satisfies SinkReply);
    await a;
    const closing = s.close().then(() => 'closed', (e: unknown) => e);
    await until(() => t.requests.length === 2, 'the close request');
    expect(t.requests[1].op).toBe('close');
    t.emit('exit', 1);
    expect(await closing).toBe('closed');
    expect(t.ended).toBe(true);
    expect(m.threads).toHaveLength(1); // no new thread for the close
    await expect(s.send([{ topic: 't', key: 'b', value: 'v' }])).rejects.toMatchObject({ code: 'closed' });
  });

  it('the settings cross to the thread with the SASL password revealed only there, and come back as a SecretValue', () => {
    const config = resolveKafkaConfig({ brokers: 'b:9092', saslMechanism: 'scram-sha-512', saslUsername: 'u', saslPassword: 'pw' }, {});
    const w = structuredClone(toWorkerSettings({ config, ackTimeoutMs: 1234 }));
    expect(w.config.sasl?.password).toBe('pw');
    const back = fromWorkerSettings(w);
    expect(back.ackTimeoutMs).toBe(1234);
    expect(back.config.brokers).toEqual(['b:9092']);
    expect(back.config.sasl?.password.reveal()).toBe('pw');
    expect(String(back.config.sasl?.password)).toBe('***');
  });
});

describe('createThreadedSink (a real worker thread)', () => {
  it('an unreadable TLS file fails when the sink is made, with bad-setting naming the file, as createLeanSink does (not later as a retriable send-failed of a thread that died starting)', () => {
    const config = resolveKafkaConfig({ brokers: '127.0.0.1:1', tlsCaFile: '/no/such/dir/ca.pem' }, {});
    const thrown = (f: () => unknown): unknown => {
      try {
        f();
        return null;
      } catch (e) {
        return e;
      }
    };
    const lean = thrown(() => createLeanSink({ config })) as KafkaAdapterError;
    expect(lean).toMatchObject({ code: 'bad-setting', retriable: false });
    const threaded = thrown(() => createThreadedSink({ config, workerUrl: new URL('./no-such-worker.mjs', import.meta.url) })) as KafkaAdapterError;
    expect(threaded).toBeInstanceOf(KafkaAdapterError);
    expect([threaded.code, threaded.retriable, threaded.message]).toEqual([lean.code, lean.retriable, lean.message]);
    expect(threaded.message).toContain('/no/such/dir/ca.pem');
  });

  it('a thread whose script cannot be loaded fails the send as send-failed (retriable) with the loader error, and close still resolves', async () => {
    const config = resolveKafkaConfig({ brokers: '127.0.0.1:1' }, {});
    const s = createThreadedSink({ config, workerUrl: new URL('./no-such-worker.mjs', import.meta.url) });
    const e = (await s.send([{ topic: 't', key: 'a', value: 'v' }]).then(() => null, (x: unknown) => x)) as KafkaAdapterError;
    expect(e).toBeInstanceOf(KafkaAdapterError);
    expect([e.code, e.retriable]).toEqual(['send-failed', true]);
    expect(e.message).toMatch(/producer thread stopped \(.*no-such-worker/);
    await s.close();
  });
});
