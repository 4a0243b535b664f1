import { asyncScheduler, map, startWith, switchMap, take, timer, type OperatorFunction, type SchedulerLike } from 'rxjs';

/**
 * Emits once (the idle time, in ms) when the source has been silent for `idleMs` since the
 * subscription or its last value, then completes: the service's `--exit-on-idle`.
 *
 * @param idleMs - silence that counts as idle (> 0)
 * @param scheduler - for tests (TestScheduler); default asyncScheduler
 * @example
 * activity$.pipe(idleTimeout(30_000)).subscribe(() => requestStop('idle'))
 */
export function idleTimeout<T>(idleMs: number, scheduler: SchedulerLike = asyncScheduler): OperatorFunction<T, number> {
  return (source) =>
    source.pipe(
      map(() => 0),
      startWith(0),
      switchMap(() => timer(idleMs, scheduler)),
      take(1),
      map(() => idleMs),
    );
}
