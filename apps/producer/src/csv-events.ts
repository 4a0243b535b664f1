import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CsvLayout, DecodedEvent, type CsvLayoutOptions } from '@logit-stream/core';
import { parseCsvRow } from '@logit-stream/core';
import { ProducerError } from './producer-error.js';
import type { EventItem, ProducedEvent } from './produced-event.js';

/**
 * Maps one CSV data row to a SPEC §2 event: `id` `row-N` (N = 1 for the first row after the header),
 * `features` the dense array of every feature column in CSV order (zeros included), `label` from the
 * label column (an empty cell: `null`, score only). Uses core's parser, so a row is accepted exactly
 * when `logit replay` accepts it.
 *
 * @param line the row without its newline
 * @param layout from `CsvLayout.fromHeader`
 * @param rowNumber N of `row-N`
 * @param scratch a reusable DecodedEvent with capacity >= layout.dim
 * @param ts the event's `ts` (epoch ms), or undefined for none
 * @returns the event, or the reason the row is skipped
 * @example
 * const layout = CsvLayout.fromHeader('a,b,label');
 * csvRowToEvent('0.5,0,1', layout, 1, new DecodedEvent(2)); // { event: { id: 'row-1', features: [0.5, 0], label: 1 } }
 */
export function csvRowToEvent(line: string, layout: CsvLayout, rowNumber: number, scratch: DecodedEvent, ts?: number): EventItem {
  const rejection = parseCsvRow(line, layout, scratch, rowNumber);
  if (rejection !== null) return { skipped: rejection.reason };
  const x = scratch.x;
  const features = new Array<number>(layout.dim).fill(0);
  for (let k = 0; k < x.nnz; k++) features[x.idx[k]] = x.val[k];
  const event: ProducedEvent = ts === undefined ? { id: `row-${rowNumber}`, features, label: scratch.label } : { id: `row-${rowNumber}`, ts, features, label: scratch.label };
  return { event };
}

/** Settings of {@link csvEvents}. */
export interface CsvEventsOptions extends CsvLayoutOptions {
  /** Each event's `ts` (default `Date.now()` when it is read); null = no `ts`. */
  readonly clock?: (() => number) | null;
}

/**
 * The events of a CSV file with a header row, in file order (see {@link csvRowToEvent}); blank lines
 * are ignored, unparseable rows come as `{ skipped: reason }`.
 *
 * @param path the CSV file
 * @param o label column, clock
 * @throws ProducerError 'bad-input' when the file cannot be read or its header has no label column
 * @example
 * for await (const item of csvEvents('../shared/data/pima_diabetes.csv')) if (item.event) send(item.event);
 */
export async function* csvEvents(path: string, o: CsvEventsOptions = {}): AsyncGenerator<EventItem, void, undefined> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  const clock = o.clock === undefined ? Date.now : o.clock;
  let layout: CsvLayout | null = null;
  let scratch: DecodedEvent | null = null;
  let row = 0;
  try {
    for await (const line of lines) {
      if (layout === null) {
        try {
          layout = CsvLayout.fromHeader(line, o);
        } catch (cause) {
          throw new ProducerError('bad-input', `${path}: ${(cause as Error).message}`, { cause });
        }
        scratch = new DecodedEvent(layout.dim);
        continue;
      }
      if (line.trim() === '') continue;
      row++;
      yield csvRowToEvent(line, layout, row, scratch!, clock === null ? undefined : clock());
    }
  } catch (cause) {
    if (cause instanceof ProducerError) throw cause;
    throw new ProducerError('bad-input', `cannot read the CSV file ${path}: ${(cause as Error).message}; check the path (--input)`, { cause });
  } finally {
    lines.close();
    stream.destroy();
  }
  if (layout === null) throw new ProducerError('bad-input', `the CSV file ${path} is empty: it needs a header row with a label column`);
}
