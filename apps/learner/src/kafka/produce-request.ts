import { Writer } from '@platformatic/kafka';

/** One finished record batch for a Produce request: its partition and where its bytes are. */
export interface ProduceBatchRef {
  readonly topic: string;
  readonly partition: number;
  /** Start of the batch in the source buffer. */
  readonly start: number;
  /** End (exclusive) of the batch in the source buffer. */
  readonly end: number;
}

/** The Produce API version {@link createProduceRequest} writes (flexible, topics by name; Kafka 2.4+ and 4.x). */
export const PRODUCE_API_VERSION = 9;

function writeUvarint(b: Buffer, p: number, v: number): number {
  while (v >= 0x80) {
    b[p++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  b[p++] = v;
  return p;
}

/**
 * The body of a Produce v9 request (no transactional id) around finished record batches, as a
 * @platformatic/kafka `Writer` for `Connection.send`: the framing (acks, timeout, compact arrays of
 * topics and partitions, record lengths, empty tagged fields) is written into one small Buffer, and
 * the batches are referenced in place (`source` is not copied here; `Connection.send` copies the
 * whole request once when it frames it). Batches of one topic must be consecutive in `batches`.
 *
 * Produce Request (Version: 9) => transactional_id acks timeout_ms [topic_data] TAG_BUFFER;
 * topic_data => name [partition_data] TAG_BUFFER; partition_data => index records TAG_BUFFER.
 *
 * @param acks -1 (all in-sync replicas), 0 or 1
 * @param timeoutMs how long the broker may wait for the replicas' acknowledgement
 * @param batches the batches, grouped by topic
 * @param source the buffer the batches were written into (RecordBatchWriter.buffer)
 * @example
 * const w = createProduceRequest(-1, 30000, [{ topic: 'scores', partition: 0, start: 0, end }], writer.buffer);
 * connection.send(0, PRODUCE_API_VERSION, () => w, produceV9.parseResponse, true, true, callback);
 */
export function createProduceRequest(acks: number, timeoutMs: number, batches: readonly ProduceBatchRef[], source: Buffer): Writer {
  let frameBytes = 13; // transactional id, acks, timeout, topic count (≤ 5), closing tagged fields
  let topics = 0;
  for (let i = 0; i < batches.length; i++) {
    const r = batches[i];
    if (i === 0 || r.topic !== batches[i - 1].topic) {
      topics++;
      frameBytes += 11 + Buffer.byteLength(r.topic);
    }
    frameBytes += 10;
  }
  const f = Buffer.allocUnsafe(frameBytes);
  const w = Writer.create();
  let p = 0;
  f[p++] = 0; // transactional_id: null
  p = f.writeInt16BE(acks, p);
  p = f.writeInt32BE(timeoutMs, p);
  p = writeUvarint(f, p, topics + 1);
  let from = 0;
  for (let i = 0; i < batches.length; i++) {
    const r = batches[i];
    if (i === 0 || r.topic !== batches[i - 1].topic) {
      if (i > 0) f[p++] = 0; // the previous topic's tagged fields
      const nameBytes = Buffer.byteLength(r.topic);
      p = writeUvarint(f, p, nameBytes + 1);
      p += f.write(r.topic, p);
      let n = 0;
      for (let j = i; j < batches.length && batches[j].topic === r.topic; j++) n++;
      p = writeUvarint(f, p, n + 1);
    }
    p = f.writeInt32BE(r.partition, p);
    const len = r.end - r.start;
    p = writeUvarint(f, p, len + 1);
    w.append(f.subarray(from, p));
    w.append(source.subarray(r.start, r.end));
    from = p;
    f[p++] = 0; // the partition's tagged fields
  }
  if (batches.length > 0) f[p++] = 0; // the last topic's tagged fields
  f[p++] = 0; // the request's tagged fields
  w.append(f.subarray(from, p));
  return w;
}
