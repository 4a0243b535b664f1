import type { CommitOffset, EventSource, InputBatch, InputMessage, OutputRecord, ResultSink } from './types.js';

/** Options of {@link MemorySource.fromValues}. */
export interface MemorySourceValuesOptions {
  topic?: string;
  partition?: number;
  /** Messages per batch (default 100). */
  batchSize?: number;
  /** Offset of the first message (default 0). */
  firstOffset?: number;
  /** Timestamp of every message (default 0). */
  timestamp?: number;
  /** Shared journal of what happened, in order (deliver/handled/commit lines), for ordering tests. */
  journal?: string[];
}

/**
 * An in-memory {@link EventSource} over a fixed list of batches: delivers them one at a time,
 * awaiting the handler before the next (the same back-pressure contract as Kafka), records commits.
 * For tests and in-process runs.
 *
 * @example
 * const src = MemorySource.fromValues(['{"id":"a","features":[1],"label":1}'], { batchSize: 10 });
 * await src.start(async (batch) => { … });
 * await src.exhausted;
 * src.commits // the offsets committed
 */
export class MemorySource implements EventSource {
  /** Every commit call's offsets, in order. */
  readonly commits: CommitOffset[][] = [];
  /** Batches whose handler call has finished. */
  handled = 0;
  /** Highest number of handler calls in flight at once (1 when back-pressure holds). */
  maxInFlight = 0;
  readonly exhausted: Promise<void>;
  private inFlight = 0;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private resolveExhausted!: () => void;

  constructor(
    private readonly batches: readonly InputBatch[],
    private readonly journal: string[] | null = null,
  ) {
    this.exhausted = new Promise((r) => {
      this.resolveExhausted = r;
    });
  }

  /** Batches of messages made from `values` (each value a JSON string, bytes, or null for a tombstone). */
  static fromValues(values: readonly (string | Uint8Array | null)[], o: MemorySourceValuesOptions = {}): MemorySource {
    const topic = o.topic ?? 'events';
    const partition = o.partition ?? 0;
    const size = o.batchSize ?? 100;
    const first = o.firstOffset ?? 0;
    const batches: InputBatch[] = [];
    for (let i = 0; i < values.length; i += size) {
      const messages: InputMessage[] = [];
      for (let k = i; k < Math.min(values.length, i + size); k++) {
        const v = values[k];
        messages.push({
          topic,
          partition,
          offset: String(first + k),
          key: Buffer.from(`k${k}`),
          value: v === null ? null : typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v),
          timestamp: o.timestamp ?? 0,
        });
      }
      batches.push({ topic, partition, messages });
    }
    return new MemorySource(batches, o.journal ?? null);
  }

  start(handler: (batch: InputBatch) => Promise<void>): Promise<void> {
    this.loop = (async () => {
      for (let b = 0; b < this.batches.length && !this.stopped; b++) {
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        this.journal?.push(`deliver ${b}`);
        try {
          await handler(this.batches[b]);
        } finally {
          this.inFlight--;
        }
        this.handled++;
        this.journal?.push(`handled ${b}`);
        await new Promise<void>((r) => setImmediate(r));
      }
      if (!this.stopped) this.resolveExhausted();
    })();
    // A handler failure surfaces through stop() and is not left unhandled here.
    this.loop.catch(() => undefined);
    return Promise.resolve();
  }

  commit(offsets: readonly CommitOffset[]): Promise<void> {
    this.commits.push([...offsets]);
    for (const o of offsets) this.journal?.push(`commit ${o.topic}/${o.partition}@${o.offset}`);
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop.catch(() => undefined);
  }
}

/**
 * An in-memory {@link ResultSink}: keeps every record; `sendDelayMs` makes each send slow (for
 * back-pressure tests). `journal` records the order of sends next to a source's deliveries/commits.
 */
export class MemorySink implements ResultSink {
  readonly records: OutputRecord[] = [];
  sends = 0;
  closed = false;

  constructor(private readonly o: { sendDelayMs?: number; journal?: string[]; failOnSend?: number } = {}) {}

  async send(records: readonly OutputRecord[]): Promise<void> {
    const n = ++this.sends;
    if (this.o.failOnSend === n) throw new Error(`MemorySink: send ${n} failed (as configured)`);
    if (this.o.sendDelayMs) await new Promise((r) => setTimeout(r, this.o.sendDelayMs));
    this.records.push(...records);
    this.o.journal?.push(`send ${records.length}`);
  }

  /** The records of one topic. */
  on(topic: string): OutputRecord[] {
    return this.records.filter((r) => r.topic === topic);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
