import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { idleTimeout } from './idle-timeout.js';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('idleTimeout (marbles)', () => {
  it('fires once the source has been silent for the idle time after its last value, then completes', () => {
    scheduler().run(({ hot, expectObservable }) => {
      // Values at 1 and 3; silent from 3 on; idle 5 → fires at 8.
      expectObservable(hot('-a-b--------').pipe(idleTimeout(5))).toBe('--------(x|)', { x: 5 });
    });
  });

  it('counts from the subscription on a source that never emits (empty stream)', () => {
    scheduler().run(({ hot, cold, expectObservable }) => {
      expectObservable(hot('------').pipe(idleTimeout(4))).toBe('----(x|)', { x: 4 });
      // A completed empty source is idle too.
      expectObservable(cold('|').pipe(idleTimeout(2))).toBe('--(x|)', { x: 2 });
    });
  });

  it('forwards a source error', () => {
    scheduler().run(({ hot, expectObservable }) => {
      expectObservable(hot('-a-#').pipe(idleTimeout(5))).toBe('---#');
    });
  });

  it('does not fire after an early unsubscribe', () => {
    scheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('-a-------');
      expectObservable(src.pipe(idleTimeout(5)), '---!').toBe('');
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
  });
});
