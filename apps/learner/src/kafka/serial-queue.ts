/** A queue of async tasks that run one at a time in call order; see {@link createSerialQueue}. */
export interface SerialQueue {
  /** Runs `task` after every task queued before it has settled; resolves or rejects like `task`. */
  run(task: () => Promise<void>): Promise<void>;
  /** Resolves once every task queued so far has settled (whatever their outcome). */
  settled(): Promise<void>;
}

/**
 * One task at a time, in call order, each tracked from the moment it is queued (so a `settled()`
 * right after an un-awaited `run()` waits for it); a failed task does not stop the ones behind it.
 * The Kafka sinks send through one: kafkajs's idempotent producer can reorder (or fail with
 * OUT_OF_ORDER_SEQUENCE_NUMBER on) concurrent sends, and transactions cannot overlap.
 *
 * @example
 * const q = createSerialQueue();
 * void q.run(() => producer.send(a));
 * void q.run(() => producer.send(b)); // starts when the first has settled
 * await q.settled();
 */
export function createSerialQueue(): SerialQueue {
  // Settles after the last task queued so far, which starts only once every task before it settled:
  // waiting for it is waiting for all of them (no set of tasks in flight to keep: its add and delete
  // per send made V8 re-allocate the set's table again and again, each new table promoted to the
  // old generation as the set lives there).
  let tail: Promise<void> = Promise.resolve();
  return {
    run(task) {
      const p = tail.then(task);
      tail = p.then(
        () => undefined,
        () => undefined,
      );
      return p;
    },
    async settled() {
      await tail;
    },
  };
}
