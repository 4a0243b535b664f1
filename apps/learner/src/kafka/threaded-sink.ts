import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type MessagePort } from 'node:worker_threads';
import type { OutputRecord } from '../io/types.js';
import type { KafkaConnectionConfig } from './kafka-config.js';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { toTlsOptions } from './kafka-client.js';
import type { LeanSink, LeanSinkOptions } from './lean-sink.js';
import { SecretValue } from './secret-value.js';
import { packedBound, packRecords, SINK_WIRE_MAX_TOPICS } from './sink-wire.js';
import type { SinkReply, SinkRequest } from './threaded-sink-server.js';

/** {@link LeanSinkOptions} as they cross to the producer thread: the SASL password as a plain string. */
export interface WorkerSinkSettings extends Omit<LeanSinkOptions, 'config'> {
  readonly config: Omit<KafkaConnectionConfig, 'sasl'> & { readonly sasl: { readonly mechanism: string; readonly username: string; readonly password: string } | null };
}

/** The settings for the worker (structured clone drops SecretValue's private field, so the password is revealed here, in memory only). */
export function toWorkerSettings(o: LeanSinkOptions): WorkerSinkSettings {
  const s = o.config.sasl;
  return { ...o, config: { ...o.config, sasl: s === null ? null : { mechanism: s.mechanism, username: s.username, password: s.password.reveal() } } };
}

/** The worker's side of {@link toWorkerSettings}. */
export function fromWorkerSettings(w: WorkerSinkSettings): LeanSinkOptions {
  const s = w.config.sasl;
  return {
    ...w,
    config: { ...w.config, sasl: s === null ? null : { mechanism: s.mechanism as NonNullable<KafkaConnectionConfig['sasl']>['mechanism'], username: s.username, password: new SecretValue(s.password) } },
  };
}

/** Settings of {@link createThreadedSink}. */
export interface ThreadedSinkOptions extends LeanSinkOptions {
  /** The producer thread's script (default: `kafka/lean-sink-worker.js` of the built learner). */
  readonly workerUrl?: URL;
}

/** Byte buffers kept for reuse between sends (a send in flight holds one). */
const POOL_MAX = 4;
const BUFFER_MIN_BYTES = 256 * 1024;
/** A buffer larger than this (a model snapshot's send) is not kept: it would stay for the life of the process. */
const POOL_BUFFER_MAX_BYTES = 4 * 1024 * 1024;

/** The built producer-thread script, wherever this module was bundled to (dist/, dist/bench/) or run from (src/ under vitest). */
export function defaultWorkerUrl(): URL {
  const candidates = ['./kafka/lean-sink-worker.js', '../kafka/lean-sink-worker.js', './lean-sink-worker.js', '../../dist/kafka/lean-sink-worker.js'];
  for (const c of candidates) {
    const u = new URL(c, import.meta.url);
    if (existsSync(fileURLToPath(u))) return u;
  }
  throw new KafkaAdapterError('bad-setting', `the producer thread's script kafka/lean-sink-worker.js was not found beside ${fileURLToPath(import.meta.url)}; build the learner (pnpm build), or use KAFKA_PRODUCER_CLIENT=lean`);
}

/** The thread end that {@link createPortSink} talks to: a Worker, or a MessagePort in tests. */
export interface SinkThread {
  postMessage(m: SinkRequest, transfer?: ArrayBuffer[]): void;
  on(event: 'message', f: (m: SinkReply) => void): unknown;
  on(event: 'error', f: (e: Error) => void): unknown;
  on(event: 'exit', f: (code: number) => void): unknown;
  /** A message that could not be deserialised (a Worker's `messageerror`). */
  on(event: 'messageerror', f: (e: Error) => void): unknown;
  /** Holds the process open (a new thread does); called, possibly again, while requests wait for answers. Idempotent. */
  ref?(): void;
  /** Lets the process exit; called, possibly again, when the thread has no request left to answer. Idempotent. */
  unref?(): void;
  /** Ends the thread (after `close` was answered, or when it failed). */
  end(): Promise<void>;
}

/**
 * The lean producer (createLeanSink) on its own worker thread: the same guarantees, errors and
 * ordering, while the learner's thread only copies each record's key and value bytes into a shared
 * buffer and posts one message per `send`. The record batch encoding, the CRC, the produce requests,
 * their socket writes and the broker's answers all run on the producer thread, in parallel with the
 * next batch's decoding and learning.
 *
 * - `send` resolves when the producer thread's lean sink has resolved it (the broker acknowledged
 *   every record: acks = all, idempotent), and rejects with the same KafkaAdapterError code,
 *   message and retriable flag. Sends go out in call order.
 * - Nothing is allocated per record on the calling thread: the bytes go into one of a few reused
 *   ArrayBuffers, transferred to the thread (which reads the records in place) and back with the
 *   answer.
 * - If the producer thread dies (an uncaught error, an exit), every send in flight rejects with
 *   `send-failed` (retriable) and the next call starts a new thread (a new producer id, as the lean
 *   sink after a failed send).
 * - `close` waits for the sends in flight, closes the producer's connections and ends the thread.
 *   The thread holds the process open only while a request waits for its answer: an idle one (e.g.
 *   after a failed `connect`, never closed) does not keep `logit run` from exiting.
 *
 * @param o the lean sink's settings, and where the thread's script is
 * @returns a LeanSink
 * @throws KafkaAdapterError `bad-setting` when the built script is not found (build the learner), or a
 *   TLS file cannot be read (as createLeanSink)
 * @example
 * const sink = createThreadedSink({ config: resolveKafkaConfig({ brokers: '127.0.0.1:9092' }) });
 * await sink.send([{ topic: 'scores', key: 'e-17', value: '{"id":"e-17","p":0.8}' }]);
 * await sink.close();
 */
export function createThreadedSink(o: ThreadedSinkOptions): LeanSink {
  const { workerUrl, ...lean } = o;
  toTlsOptions(lean.config); // an unreadable TLS file fails here with bad-setting, as createLeanSink does, not as the thread's start
  const settings = toWorkerSettings(lean);
  const url = workerUrl ?? defaultWorkerUrl(); // a missing build fails here, at start, not as a retriable send
  // No Node options from the parent: V8 flags (--max-semi-space-size) are refused in a worker, and
  // vitest's `--conditions source` would make the built worker import TypeScript sources.
  return createPortSink(() => {
    const w = new Worker(url, { workerData: settings, name: 'logit-producer', execArgv: [] });
    return {
      postMessage: (m, transfer) => w.postMessage(m, transfer),
      on: (event: string, f: (x: any) => void) => w.on(event, f),
      ref: () => w.ref(),
      unref: () => w.unref(),
      end: async () => {
        await w.terminate();
      },
    };
  });
}

/**
 * The calling thread's half of {@link createThreadedSink}, over any {@link SinkThread} (made on first
 * use, and again after one died).
 *
 * @param start makes the thread
 * @returns a LeanSink
 * @example
 * const { port1, port2 } = new MessageChannel();
 * serveSink(port1, someSink);
 * const sink = createPortSink(() => portThread(port2));
 */
export function createPortSink(start: () => SinkThread): LeanSink {
  interface Pending {
    resolve(): void;
    reject(e: unknown): void;
  }
  let thread: SinkThread | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  /** Buffers the thread handed back, for the next sends (the one in flight is over there). */
  const pool: ArrayBuffer[] = [];
  let closed = false;
  let closing: Promise<void> | null = null;
  /** The thread holds the process open only while a request waits for its answer (an idle producer thread must not keep `logit run` alive, e.g. after a failed connect); ref and unref are idempotent. */
  const hold = (): void => {
    if (thread === null) return;
    if (pending.size > 0) thread.ref?.();
    else thread.unref?.();
  };

  const release = (buffer: ArrayBuffer | undefined): void => {
    if (buffer !== undefined && buffer.byteLength > 0 && buffer.byteLength <= POOL_BUFFER_MAX_BYTES && pool.length < POOL_MAX) pool.push(buffer);
  };

  const failAll = (message: string): void => {
    const gone = [...pending.values()];
    pending.clear();
    for (const p of gone) {
      p.reject(new KafkaAdapterError('send-failed', message, { retriable: true }));
    }
  };

  const threadOf = (): SinkThread => {
    if (thread !== null) return thread;
    const t = start();
    thread = t;
    t.on('message', (m: SinkReply) => {
      const p = pending.get(m.id);
      if (p === undefined) return;
      pending.delete(m.id);
      hold();
      release(m.buffer);
      if (m.error === undefined) p.resolve();
      else if (m.error.code === null) p.reject(new Error(m.error.message)); // a bug, not a broker answer: not retried as one
      else p.reject(new KafkaAdapterError(m.error.code, m.error.message, { retriable: m.error.retriable }));
    });
    const lost = (why: string): void => {
      if (thread !== t) return;
      thread = null;
      failAll(`the producer thread stopped (${why}) before the broker acknowledged; the send can be retried (a new producer thread starts)`);
      void t.end().catch(() => {});
    };
    t.on('error', (e: Error) => lost(e.message));
    t.on('exit', (code: number) => lost(`exit code ${code}`));
    // An answer that cannot be read leaves its request unanswered for good: treat the thread as lost.
    t.on('messageerror', (e: Error) => lost(`an answer could not be read: ${e.message}`));
    return t;
  };

  /** Sends not settled yet: close waits for them before it closes the producer. */
  const inFlight = new Set<Promise<void>>();

  const call = (make: (id: number) => SinkRequest, buffer?: ArrayBuffer): Promise<void> => {
    const p = new Promise<void>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      try {
        threadOf().postMessage(make(id), buffer === undefined ? undefined : [buffer]);
        hold();
      } catch (e) {
        pending.delete(id);
        hold();
        release(buffer);
        reject(new KafkaAdapterError('send-failed', `the producer thread could not be reached: ${(e as Error).message}`, { cause: e, retriable: true }));
      }
    });
    inFlight.add(p);
    const forget = (): void => {
      inFlight.delete(p);
    };
    p.then(forget, forget);
    return p;
  };

  const bufferFor = (bytes: number): ArrayBuffer => {
    for (let i = pool.length - 1; i >= 0; i--) {
      if (pool[i].byteLength >= bytes) {
        const s = pool[i];
        pool[i] = pool[pool.length - 1];
        pool.pop();
        return s;
      }
    }
    if (pool.length > 0) pool.pop(); // too small: let the smallest-used one go, keep the pool bounded
    return new ArrayBuffer(Math.max(BUFFER_MIN_BYTES, Math.ceil(bytes * 1.25)));
  };

  const send = (records: readonly OutputRecord[]): Promise<void> => {
    if (closed) return Promise.reject(new KafkaAdapterError('closed', 'send() after close() on the Kafka sink; create a new sink'));
    if (records.length === 0) return Promise.resolve();
    const buffer = bufferFor(packedBound(records));
    let packed;
    try {
      packed = packRecords(records, buffer);
    } catch (e) {
      release(buffer);
      return Promise.reject(new KafkaAdapterError('send-refused', `${(e as Error).message} (at most ${SINK_WIRE_MAX_TOPICS} topics per send)`, { cause: e }));
    }
    return call((id) => ({ op: 'send', id, packed }), buffer);
  };

  const connect = (): Promise<void> => {
    if (closed) return Promise.reject(new KafkaAdapterError('closed', 'connect() after close() on the Kafka sink; create a new sink'));
    return call((id) => ({ op: 'connect', id }));
  };

  const close = (): Promise<void> => {
    closing ??= (async () => {
      closed = true;
      await Promise.allSettled([...inFlight]);
      const t = thread;
      if (t === null) return;
      try {
        await call((id) => ({ op: 'close', id })).catch((e: unknown) => {
          // A thread that died while closing lost nothing (every send was settled before the close went out).
          if (thread === t) throw e;
        });
      } finally {
        thread = null;
        await t.end().catch(() => {});
        failAll('the sink was closed');
      }
    })();
    return closing;
  };

  return { connect, send, close };
}

/** A {@link SinkThread} over one end of a MessageChannel, for tests of the protocol in one thread. */
export function portThread(port: MessagePort): SinkThread {
  return {
    postMessage: (m, transfer) => port.postMessage(m, transfer),
    on: (event: string, f: (x: any) => void) => (event === 'message' ? port.on('message', f) : port),
    end: async () => {
      port.close();
    },
  };
}
