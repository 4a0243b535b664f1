import type { OutputRecord } from '../io/types.js';

/**
 * Default request bound of the Kafka sinks: half the broker's default `max.message.bytes` (1 MiB).
 * kafkajs writes all records of a partition in one request as one record batch, and the broker
 * refuses a batch over `max.message.bytes` as a whole, so an unbounded send of many large records
 * (DLQ records of big rejected messages) would fail on every retry and block its input partition.
 */
export const SINK_MAX_REQUEST_BYTES = 524_288;

/**
 * Bytes a record adds to a produce request: key, value, headers and ~70 bytes of record framing.
 *
 * @example
 * recordBytes({ topic: 't', key: 'k', value: 'v' }) // 72
 */
export function recordBytes(r: OutputRecord): number {
  let n = 70;
  if (r.key !== null) n += typeof r.key === 'string' ? Buffer.byteLength(r.key) : r.key.length;
  n += typeof r.value === 'string' ? Buffer.byteLength(r.value) : r.value.length;
  if (r.headers !== undefined) for (const h in r.headers) n += Buffer.byteLength(h) + Buffer.byteLength(r.headers[h]) + 8;
  return n;
}

/**
 * Splits records, in order, into consecutive chunks of at most `maxBytes` (by {@link recordBytes});
 * a record larger than that goes alone. One chunk (the input array itself) when everything fits.
 *
 * @param records the records of one send
 * @param maxBytes the bound of one request (default {@link SINK_MAX_REQUEST_BYTES})
 * @example
 * chunkRecords(records, 524_288).length // 1 for a typical batch of scores
 */
export function chunkRecords(records: readonly OutputRecord[], maxBytes = SINK_MAX_REQUEST_BYTES): (readonly OutputRecord[])[] {
  const chunks: (readonly OutputRecord[])[] = [];
  let start = 0;
  while (start < records.length) {
    let end = start + 1;
    let bytes = recordBytes(records[start]);
    while (end < records.length) {
      const b = recordBytes(records[end]);
      if (bytes + b > maxBytes) break;
      bytes += b;
      end++;
    }
    chunks.push(start === 0 && end === records.length ? records : records.slice(start, end));
    start = end;
  }
  return chunks;
}
