import { concat, concatMap, from, ignoreElements, of, type ObservableInput, type OperatorFunction } from 'rxjs';

/**
 * Runs an asynchronous side effect for each value, one at a time and in order, and re-emits the value
 * once the effect has finished (a Promise resolved, an Observable completed). The next value's effect
 * starts only after that: this is how the pipeline sends a batch's records, then commits its offsets,
 * before the source may deliver more. A failing effect errors the stream.
 *
 * @param effect - called with each value; its result is awaited
 * @example
 * batches$.pipe(concatAsync((b) => sink.send(b.records)), concatAsync((b) => source.commit(b.commits)))
 */
export function concatAsync<T>(effect: (value: T) => ObservableInput<unknown> | void): OperatorFunction<T, T> {
  return concatMap((value: T) => {
    const r = effect(value);
    return r === undefined ? of(value) : concat(from(r).pipe(ignoreElements()), of(value));
  });
}
