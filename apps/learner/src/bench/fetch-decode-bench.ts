/**
 * CPU cost per message of decoding a Fetch response, the lean consumer's way against kafkajs's, on
 * the same bytes and without a broker: ~1 MiB of 300-byte records (10-byte keys, JSON-like values,
 * no headers) in batches of `--batch` records written by RecordBatchWriter (gzip with `--gzip`),
 * wrapped in one partition of a Fetch v12 response (lean) and of a Fetch v11 response (kafkajs 2.2.4
 * sends v11; same records bytes). Measured per decoder, best of `--rounds` rounds of `--reps` decodes:
 *
 * - `lean`: fetchResponseParser's parseFetchResponse + RecordBatchReader.read into a fresh array
 *   (a LeanMessage per record; its key and value views are made only when read), CRC-32C checked;
 * - `lean-nocrc`: the same with checkCrcs off (kafkajs checks no CRC);
 * - `lean-reuse`: CRC checked, the message array and its LeanMessages reused from decode to decode;
 * - `lean-read`, `lean-reuse-read`: as `lean` and `lean-reuse`, then every message's value and key
 *   read once, as the learner's pipeline reads them (the views are made when read);
 * - `lean-chunks`: as `lean`, the response handed over as platformatic's Connection does, in 64 KiB
 *   socket chunks (fetchResponseParser copies them into one Buffer first);
 * - `kafkajs`: kafkajs's own `fetch/v11/response.decode` (Decoder, decodeMessages, RecordBatch and
 *   Record decoders, Long offsets), which is only part of what its consumer does per message (the
 *   Batch object and its filtering come after).
 *
 * Prints one JSON object: µs per message and ns per byte for each.
 *
 *   node node_modules/.cache/fetch-decode-bench.mjs [--records-bytes 1048576] [--batch 100] [--gzip] [--rounds 5] [--reps 20]
 *
 * Build (not part of tsup's entries): `npx esbuild src/bench/fetch-decode-bench.ts --bundle --platform=node
 * --format=esm --conditions=source --external:@platformatic/kafka --external:kafkajs --external:@node-rs/crc32
 * --outfile=node_modules/.cache/fetch-decode-bench.mjs` in apps/learner.
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { Reader } from '@platformatic/kafka';
import { fetchResponseParser, parseFetchResponse } from '../kafka/lean/fetch-response.js';
import { LeanMessage, RecordBatchReader } from '../kafka/lean/record-batch-reader.js';
import { CRC32C_IMPLEMENTATION } from '../kafka/native-crc32c.js';
import { RecordBatchWriter } from '../kafka/record-batch-writer.js';

const { values: args } = parseArgs({
  options: {
    'records-bytes': { type: 'string', default: '1048576' },
    batch: { type: 'string', default: '100' },
    gzip: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    reps: { type: 'string', default: '20' },
  },
});
const targetBytes = Number(args['records-bytes']);
const perBatch = Number(args.batch);
const rounds = Number(args.rounds);
const reps = Number(args.reps);

/** ~1 MiB of record batches: 300-byte records (10-byte key + 290-byte JSON-ish value). */
function buildRecords(): { records: Buffer; count: number } {
  const w = new RecordBatchWriter(targetBytes + 65_536);
  const parts: Buffer[] = [];
  let count = 0;
  let bytes = 0;
  while (bytes < targetBytes) {
    const s = w.beginBatch(0, 1, 0, count, 1_732_000_000_000 + count);
    for (let i = 0; i < perBatch; i++) {
      const n = count + i;
      const key = `e-${String(n).padStart(8, '0')}`;
      const head = `{"id":"${key}","ts":${1_732_000_000_000 + n},"label":${n % 2},"f":{`;
      let value = head;
      for (let f = 0; value.length < 280; f++) value += `${f === 0 ? '' : ','}"x${f}":${((n * 7919 + f * 104729) % 100000) / 1000}`;
      value = `${value}}}`.padEnd(290, ' ');
      w.appendRecord(key, value, undefined);
    }
    const e = w.endBatch(args.gzip);
    const batch = Buffer.from(w.buffer.subarray(s, e));
    batch.writeBigInt64BE(BigInt(count), 0);
    parts.push(batch);
    count += perBatch;
    bytes += 300 * perBatch;
    w.reset();
  }
  return { records: Buffer.concat(parts), count };
}

/** Fetch v12 body (flexible) with one partition holding `records`. */
function fetchV12Body(topic: string, records: Buffer, hw: number): Buffer {
  const uv = (v: number): number[] => {
    const o: number[] = [];
    while (v >= 0x80) {
      o.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    o.push(v);
    return o;
  };
  const fixed = Buffer.alloc(10 + 1);
  fixed[10] = 2; // one topic
  const t = Buffer.from([...uv(topic.length + 1), ...Buffer.from(topic), 2]);
  const p = Buffer.alloc(4 + 2 + 24 + 1 + 4);
  p.writeBigInt64BE(BigInt(hw), 6);
  p.writeBigInt64BE(BigInt(hw), 14);
  p[30] = 1; // empty aborted transactions
  p.writeInt32BE(-1, 31);
  return Buffer.concat([fixed, t, p, Buffer.from(uv(records.length + 1)), records, Buffer.from([0, 0, 0])]);
}

/** Fetch v11 body (what kafkajs decodes) with one partition holding `records`. */
function fetchV11Body(topic: string, records: Buffer, hw: number): Buffer {
  const head = Buffer.alloc(4 + 2 + 4 + 4 + 2 + topic.length + 4);
  let o = 10;
  head.writeInt32BE(1, o);
  o += 4;
  head.writeInt16BE(topic.length, o);
  o += 2;
  head.write(topic, o);
  o += topic.length;
  head.writeInt32BE(1, o);
  const p = Buffer.alloc(4 + 2 + 24 + 4 + 4 + 4);
  p.writeBigInt64BE(BigInt(hw), 6);
  p.writeBigInt64BE(BigInt(hw), 14);
  p.writeInt32BE(0, 30); // no aborted transactions
  p.writeInt32BE(-1, 34);
  p.writeInt32BE(records.length, 38);
  return Buffer.concat([head, p, records]);
}

const { records, count } = buildRecords();
const topic = 'events';
const v12 = fetchV12Body(topic, records, count);
const v11 = fetchV11Body(topic, records, count);
const kafkajsDecode = (createRequire(import.meta.url)('kafkajs/src/protocol/requests/fetch/v11/response') as { decode: (b: Buffer) => Promise<{ responses: { partitions: { messages: unknown[] }[] }[] }> }).decode;

const checking = new RecordBatchReader();
const trusting = new RecordBatchReader({ checkCrcs: false });
const reused: LeanMessage[] = [];
let lastFresh: LeanMessage[] = [];
let sink = 0;

function leanOnce(reader: RecordBatchReader, reuse: boolean): number {
  const r = parseFetchResponse(v12, 0, v12.length);
  const p = r.partitions[0];
  const out = reuse ? reused : (lastFresh = []);
  const n = reader.read(p, 0, out, 0);
  sink += out[n - 1].timestamp;
  return n;
}

/** As {@link leanOnce}, then each message's value and key read once, as the learner's pipeline does (decode, score record). */
function leanReadOnce(reuse: boolean): number {
  const n = leanOnce(checking, reuse);
  const out = reuse ? reused : lastFresh;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const m = out[i];
    bytes += (m.value?.length ?? 0) + (m.key?.length ?? 0);
  }
  sink += bytes;
  return n;
}

/** The v12 body in 64 KiB chunks, as a socket delivers it. */
const chunks: Buffer[] = [];
for (let i = 0; i < v12.length; i += 65_536) chunks.push(Buffer.from(v12.subarray(i, i + 65_536)));

function leanChunksOnce(): number {
  const db = Reader.from(chunks[0]).buffer;
  for (let i = 1; i < chunks.length; i++) db.append(chunks[i]);
  const r = fetchResponseParser(0, 1, 12, new Reader(db));
  const out: LeanMessage[] = [];
  const n = checking.read(r.partitions[0], 0, out, 0);
  sink += out[n - 1].timestamp;
  return n;
}

async function kafkajsOnce(): Promise<number> {
  const r = await kafkajsDecode(v11);
  const m = r.responses[0].partitions[0].messages;
  sink += m.length;
  return m.length;
}

async function measure(name: string, once: () => number | Promise<number>): Promise<{ usPerMessage: number; nsPerByte: number }> {
  const n = await once();
  if (n !== count) throw new Error(`${name} decoded ${n} messages, expected ${count}`);
  for (let i = 0; i < 3; i++) await once(); // warm-up
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) await once();
    const t = process.cpuUsage(t0);
    best = Math.min(best, (t.user + t.system) / reps);
  }
  return { usPerMessage: Number((best / count).toFixed(4)), nsPerByte: Number(((best * 1000) / records.length).toFixed(3)) };
}

const results = {
  node: process.version,
  crc32c: CRC32C_IMPLEMENTATION,
  messages: count,
  recordsBytes: records.length,
  batchRecords: perBatch,
  gzip: args.gzip,
  lean: await measure('lean', () => leanOnce(checking, false)),
  leanNoCrc: await measure('lean-nocrc', () => leanOnce(trusting, false)),
  leanReuse: await measure('lean-reuse', () => leanOnce(checking, true)),
  leanChunks: await measure('lean-chunks', leanChunksOnce),
  leanRead: await measure('lean-read', () => leanReadOnce(false)),
  leanReuseRead: await measure('lean-reuse-read', () => leanReadOnce(true)),
  kafkajs: await measure('kafkajs', kafkajsOnce),
  sink,
};
process.stdout.write(`${JSON.stringify(results, null, 1)}\n`);
