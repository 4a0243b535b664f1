import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { concatAsync } from './concat-async.js';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('concatAsync (marbles)', () => {
  it('re-emits each value after its effect completes, one effect at a time, in order', () => {
    scheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const src = hot('  -a-b-----|');
      const e1 = cold('   ---|');
      const e2 = cold('     ---|');
      const effects: Record<string, ReturnType<typeof cold>> = { a: e1, b: e2 };
      // b arrives at frame 3 but its effect starts only when a's finishes (frame 4).
      expectObservable(src.pipe(concatAsync((v: string) => effects[v]))).toBe('----a--b-|');
      expectSubscriptions(e1.subscriptions).toBe('-^--!');
      expectSubscriptions(e2.subscriptions).toBe('----^--!');
    });
  });

  it('passes values straight through when the effect returns nothing', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const seen: string[] = [];
      expectObservable(cold('-a-b|').pipe(concatAsync((v: string) => void seen.push(v)))).toBe('-a-b|');
    });
  });

  it('completes empty on an empty source', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('|').pipe(concatAsync(() => cold('-|')))).toBe('|');
    });
  });

  it('errors when an effect fails, and forwards a source error', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b|').pipe(concatAsync(() => cold('-#', undefined, new Error('send failed'))))).toBe(
        '--#',
        undefined,
        new Error('send failed'),
      );
      expectObservable(cold('-a#').pipe(concatAsync(() => cold('|')))).toBe('-a#');
    });
  });

  it('unsubscribes from the running effect on early unsubscribe', () => {
    scheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const effect = cold('-----|');
      expectObservable(hot('-a---|').pipe(concatAsync(() => effect)), '---!').toBe('---');
      expectSubscriptions(effect.subscriptions).toBe('-^-!');
    });
  });

  it('awaits promises too (resolved in order)', async () => {
    const { from, lastValueFrom, toArray } = await import('rxjs');
    const order: string[] = [];
    const out = await lastValueFrom(
      from(['a', 'b']).pipe(
        concatAsync(async (v) => {
          order.push(`start ${v}`);
          await Promise.resolve();
          order.push(`end ${v}`);
        }),
        toArray(),
      ),
    );
    expect(out).toEqual(['a', 'b']);
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b']);
  });
});
