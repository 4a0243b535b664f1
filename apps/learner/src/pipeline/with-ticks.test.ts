import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { TICK, withTicks } from './with-ticks.js';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('withTicks (marbles)', () => {
  it('interleaves a tick every period with the values and stops ticking when the source completes', () => {
    scheduler().run(({ hot, expectObservable }) => {
      // Ticks at 4, 8 (and none at 12: the source's completion at 12 ends them).
      const src = hot('-a-------b--|');
      expectObservable(src.pipe(withTicks(4))).toBe('-a--t---tb--|', { a: 'a', b: 'b', t: TICK });
    });
  });

  it('ticks on a silent source (an idle stream still gets time-driven work)', () => {
    scheduler().run(({ hot, expectObservable }) => {
      expectObservable(hot('-').pipe(withTicks(3)), '^ 9ms !').toBe('---t--t--t', { t: TICK });
    });
  });

  it('completes at once on an empty source', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('|').pipe(withTicks(2))).toBe('|');
    });
  });

  it('forwards a source error and stops ticking', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a---#').pipe(withTicks(3))).toBe('-a-t-#', { a: 'a', t: TICK });
    });
  });

  it('unsubscribes from the source and the timer on early unsubscribe', () => {
    scheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('-a-b-c-|');
      expectObservable(src.pipe(withTicks(2)), '----!').toBe('-atb', { a: 'a', b: 'b', t: TICK });
      expectSubscriptions(src.subscriptions).toBe('^---!');
    });
  });
});
