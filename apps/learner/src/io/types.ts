/**
 * The small adapter interfaces between the RxJS pipeline and the outside world. Kafka (kafkajs), the
 * embedded synthetic stream, files and in-memory test doubles all implement these, so the same
 * pipeline runs on each and another client could be swapped in.
 */

/** One message as read from an input partition. `offset` is Kafka's decimal string offset. */
export interface InputMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /**
   * The same offset as a number (a safe integer), when the source has it (the lean consumer): the
   * pipeline reads it instead of parsing `offset` per message. Absent: `Number(offset)`.
   */
  readonly offsetValue?: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Broker or producer timestamp, epoch milliseconds (used for lag). */
  readonly timestamp: number;
}

/** Messages of one partition, in offset order. */
export interface InputBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly InputMessage[];
  /** The partition's high watermark when the batch was fetched (for lag), when known. */
  readonly highWatermark?: string;
}

/** The next offset to read for one partition (last processed + 1), as Kafka commits it. */
export interface CommitOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * A source of input batches. The handler's promise is awaited before the source fetches more for
 * that partition, so a slow pipeline throttles fetching instead of buffering without bound.
 */
export interface EventSource {
  /** Starts delivery; resolves once the source is running. */
  start(handler: (batch: InputBatch) => Promise<void>): Promise<void>;
  /** Commits processed offsets (no-op for sources without offsets). */
  commit(offsets: readonly CommitOffset[]): Promise<void>;
  /** Stops fetching; resolves when the in-flight handler call (if any) has finished. */
  stop(): Promise<void>;
  /** Resolves when a finite source has delivered everything (never, for an endless one). */
  readonly exhausted: Promise<void>;
}

/** One record to publish. */
export interface OutputRecord {
  readonly topic: string;
  readonly key: string | Buffer | null;
  readonly value: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Where scores, metrics and dead letters go. `send` resolves once the records are durably accepted. */
export interface ResultSink {
  send(records: readonly OutputRecord[]): Promise<void>;
  close(): Promise<void>;
}
