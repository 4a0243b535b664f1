import type { MessagePort } from 'node:worker_threads';
import type { ResultSink } from '../io/types.js';
import { unpackRecords, type PackedRecords } from './sink-wire.js';

/** A request from createThreadedSink's side of the port. */
export type SinkRequest =
  | { readonly op: 'send'; readonly id: number; readonly packed: PackedRecords }
  | { readonly op: 'connect'; readonly id: number }
  | { readonly op: 'close'; readonly id: number };

/** The answer to the request with the same id: done, or the error it failed with; a send's buffer comes back for reuse. */
export interface SinkReply {
  readonly id: number;
  readonly buffer?: ArrayBuffer;
  /** `code` null: an error without one (not a KafkaAdapterError; it stays a plain Error on the other side). */
  readonly error?: { readonly code: string | null; readonly message: string; readonly retriable: boolean };
}

/** The error as it crosses the thread boundary (an AppError's code and retriable flag; code null for an error without one). */
export function errorReply(id: number, e: unknown, buffer?: ArrayBuffer): SinkReply {
  const x = e as { code?: unknown; message?: unknown; retriable?: unknown };
  return {
    id,
    ...(buffer === undefined ? {} : { buffer }),
    error: {
      code: typeof x?.code === 'string' ? x.code : null,
      message: typeof x?.message === 'string' ? x.message : String(e),
      retriable: x?.retriable === true,
    },
  };
}

/**
 * The producer thread's half of createThreadedSink: answers the requests arriving on `port` with
 * `sink` (sends in arrival order, which is the learner's call order; each answered once the sink
 * has settled it, handing the send's buffer back), and closes the port after `close`.
 *
 * @param port the worker's parentPort (or one end of a MessageChannel in tests)
 * @param sink the sink that does the work (createLeanSink in the worker)
 * @example
 * serveSink(parentPort!, createLeanSink({ config }));
 */
export function serveSink(port: MessagePort, sink: ResultSink & { connect?(): Promise<void> }): void {
  // The records are views into `buffer`: it goes back (transferred) only once the sink is done with them.
  const answer = (id: number, p: Promise<void>, buffer?: ArrayBuffer): void => {
    const transfer = buffer === undefined ? [] : [buffer];
    p.then(
      () => port.postMessage({ id, ...(buffer === undefined ? {} : { buffer }) } satisfies SinkReply, transfer),
      (e: unknown) => port.postMessage(errorReply(id, e, buffer), transfer),
    );
  };
  port.on('message', (m: SinkRequest) => {
    if (m.op === 'send') {
      let p: Promise<void>;
      try {
        p = sink.send(unpackRecords(m.packed));
      } catch (e) {
        p = Promise.reject(e);
      }
      answer(m.id, p, m.packed.buffer);
    } else if (m.op === 'connect') {
      answer(m.id, sink.connect?.() ?? Promise.resolve());
    } else {
      const p = sink.close();
      p.then(
        () => {
          port.postMessage({ id: m.id } satisfies SinkReply);
          port.close();
        },
        (e: unknown) => {
          port.postMessage(errorReply(m.id, e));
          port.close();
        },
      );
    }
  });
}
