import { asyncScheduler, interval, last, map, merge, share, takeUntil, type OperatorFunction, type SchedulerLike } from 'rxjs';

/** The marker value that {@link withTicks} interleaves with the source's values. */
export const TICK: unique symbol = Symbol('tick');
/** The type of {@link TICK}. */
export type Tick = typeof TICK;

/**
 * Interleaves a {@link TICK} every `periodMs` with the source's values, for as long as the source
 * runs (ticks stop when it completes or errors). Time-driven work (metrics on an idle stream, idle
 * detection) then goes through the same serial pipeline as the batches.
 *
 * @param periodMs - tick period in milliseconds (> 0)
 * @param scheduler - for tests (TestScheduler); default asyncScheduler
 * @example
 * jobs$.pipe(withTicks(1000)) // job, job, TICK, job, TICK, …
 */
export function withTicks<T>(periodMs: number, scheduler: SchedulerLike = asyncScheduler): OperatorFunction<T, T | Tick> {
  return (source) => {
    const shared = source.pipe(share());
    // Emits when the source completes (its error reaches the output through `shared` itself).
    const ended = shared.pipe(last(null, null));
    return merge(shared, interval(periodMs, scheduler).pipe(map((): Tick => TICK), takeUntil(ended)));
  };
}
