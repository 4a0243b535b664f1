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
  let tail: Promise<void> = Promise.resolve();
  const inFlight = new Set<Promise<void>>();
  return {
    run(task) {
      const p = tail.then(task);
      tail = p.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(p);
      const forget = (): void => {
        inFlight.delete(p);
      };
      p.then(forget, forget);
      return p;
    },
    async settled() {
      await Promise.allSettled([...inFlight]);
    },
  };
}
