import { embeddedStream } from '@logit-stream/core';
import type { EmbeddedStreamOptions } from '@logit-stream/core';
import type { CommitOffset, EventSource, InputBatch, InputMessage } from '../io/types.js';

/** Settings of {@link EmbeddedSource}: the synthetic stream's, plus delivery. */
export interface EmbeddedSourceOptions extends EmbeddedStreamOptions {
  /** Topic name the messages claim to come from (default 'events'). */
  readonly topic?: string;
  /** Events per batch (default 1000; smaller when `rate` is low, so batches stay ~50 ms apart). */
  readonly batchSize?: number;
  /** Events per second, 0 = as fast as the pipeline takes them (default 0). */
  readonly rate?: number;
  /** Deliver this many events, then resolve `exhausted` (default: endless). */
  readonly maxEvents?: number;
  /** Clock for message timestamps and pacing (default Date.now). */
  readonly now?: () => number;
}

/**
 * An {@link EventSource} over core's deterministic {@link embeddedStream}: each event is serialised to
 * JSON bytes, so the service's usual decode path runs on it. One partition, offsets 0, 1, 2, …
 * Between batches it yields to the event loop (signals, timers and HTTP stay responsive) and, with
 * `rate`, sleeps to hold the rate. The handler is awaited before the next batch (back-pressure).
 *
 * @example
 * const src = new EmbeddedSource({ seed: 1, rate: 0 });
 * await src.start(async (batch) => { … });
 * // later
 * await src.stop();
 */
export class EmbeddedSource implements EventSource {
  readonly exhausted: Promise<void>;
  /** Events delivered so far. */
  delivered = 0;
  /** The last committed offsets (the source keeps no durable position). */
  lastCommit: readonly CommitOffset[] = [];
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  private resolveExhausted!: () => void;
  private readonly now: () => number;

  constructor(private readonly o: EmbeddedSourceOptions = {}) {
    this.now = o.now ?? Date.now;
    this.exhausted = new Promise((r) => {
      this.resolveExhausted = r;
    });
  }

  start(handler: (batch: InputBatch) => Promise<void>): Promise<void> {
    const o = this.o;
    const topic = o.topic ?? 'events';
    const rate = o.rate ?? 0;
    const max = o.maxEvents ?? Number.POSITIVE_INFINITY;
    const size = rate > 0 ? Math.max(1, Math.min(o.batchSize ?? 1000, Math.ceil(rate / 20))) : (o.batchSize ?? 1000);
    const events = embeddedStream({ ...o, clock: o.clock ?? this.now });
    this.loop = (async () => {
      const t0 = this.now();
      while (!this.stopped && this.delivered < max) {
        const n = Math.min(size, max - this.delivered);
        const messages: InputMessage[] = new Array(n);
        const ts = this.now();
        // One buffer for the batch's values and one for its keys, sliced per message (fewer, larger
        // allocations than a Buffer per event); exact when the JSON is ASCII, as the stream's is.
        const values = new Array<string>(n);
        const ids = new Array<string>(n);
        let chars = 0;
        let idChars = 0;
        for (let i = 0; i < n; i++) {
          const ev = events.next().value;
          values[i] = JSON.stringify(ev);
          ids[i] = ev.id;
          chars += values[i].length;
          idChars += ev.id.length;
        }
        const all = Buffer.from(values.join(''), 'utf8');
        const keys = Buffer.from(ids.join(''), 'utf8');
        const ascii = all.length === chars && keys.length === idChars;
        let at = 0;
        let keyAt = 0;
        for (let i = 0; i < n; i++) {
          const len = values[i].length;
          const klen = ids[i].length;
          messages[i] = {
            topic,
            partition: 0,
            offset: String(this.delivered + i),
            key: ascii ? keys.subarray(keyAt, keyAt + klen) : Buffer.from(ids[i], 'utf8'),
            value: ascii ? all.subarray(at, at + len) : Buffer.from(values[i], 'utf8'),
            timestamp: ts,
          };
          at += len;
          keyAt += klen;
        }
        this.delivered += n;
        await handler({ topic, partition: 0, messages, highWatermark: String(this.delivered) });
        const waitMs = rate > 0 ? t0 + (this.delivered / rate) * 1000 - this.now() : 0;
        await this.pause(waitMs);
      }
      if (this.delivered >= max) this.resolveExhausted();
    })();
    this.loop.catch(() => undefined);
    return Promise.resolve();
  }

  /** Waits `ms` (or only yields to the event loop when ms ≤ 0); stop() cuts the wait short. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (ms <= 0) {
        setImmediate(resolve);
        return;
      }
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  commit(offsets: readonly CommitOffset[]): Promise<void> {
    this.lastCommit = offsets;
    return Promise.resolve();
  }

  /** Stops delivering; resolves once the in-flight handler call has finished (a handler failure is the pipeline's to report). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop.catch(() => undefined);
  }
}
