import { describe, expect, it } from 'vitest';
import { createSerialQueue } from './serial-queue.js';

const deferred = (): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } => {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
};

describe('createSerialQueue', () => {
  it('starts a task only when the one before it has settled, in call order, past a failure', async () => {
    const q = createSerialQueue();
    const log: string[] = [];
    const first = deferred();
    const second = deferred();
    const a = q.run(async () => {
      log.push('a start');
      await first.promise;
      log.push('a end');
    });
    const b = q.run(async () => {
      log.push('b start');
      await second.promise;
    });
    const c = q.run(async () => {
      log.push('c start');
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['a start']);
    first.resolve();
    await a;
    second.reject(new Error('b failed'));
    await expect(b).rejects.toThrow('b failed');
    await c;
    expect(log).toEqual(['a start', 'a end', 'b start', 'c start']);
  });

  it('settled() waits for every task queued so far, also a failing one, and never rejects', async () => {
    const q = createSerialQueue();
    const gate = deferred();
    let done = false;
    const failing = q.run(() => Promise.reject(new Error('x')));
    failing.catch(() => {});
    void q.run(async () => {
      await gate.promise;
      done = true;
    });
    const s = q.settled();
    let settled = false;
    void s.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    gate.resolve();
    await s;
    expect(done).toBe(true);
    await expect(q.settled()).resolves.toBeUndefined();
  });
});
