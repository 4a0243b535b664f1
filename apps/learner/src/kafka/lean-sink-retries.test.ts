import net from 'node:net';
import { Reader, Writer, readRecordsBatch } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import { KafkaAdapterError } from './kafka-adapter-error.js';
import { resolveKafkaConfig } from './kafka-config.js';
import { createLeanSink } from './lean-sink.js';

// A fake single broker on a local TCP port that speaks just enough of the protocol (Metadata v12,
// InitProducerId v4, Produce v9) to script the answers the lean sink's retry and idempotence paths
// depend on, and records every Produce request it receives (batches decoded with @platformatic/kafka).
// The real-broker behaviour is covered by lean-sink.int.test.ts; these cases cannot be forced there.
type Produce = { conn: number; corr: number; at: number; parts: { topic: string; partition: number; pid: bigint; seq: number; count: number; raw: string }[] };
type Plan = (p: Produce, n: number) => { delayMs?: number; drop?: boolean; errors?: Record<string, number>; omit?: string[] };

/** Starts the fake broker; `plan` decides the answer to the n-th Produce request. */
function fakeBroker(plan: Plan, partitions = 2) {
  const produces: Produce[] = [];
  let connId = 0; let pid = 1000n;
  const server = net.createServer((sock) => {
    const me = ++connId;
    let buf = Buffer.alloc(0);
    sock.on('error', () => {});
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const size = buf.readInt32BE(0);
        const frame = buf.subarray(4, 4 + size); buf = buf.subarray(4 + size);
        const r = Reader.from(Buffer.from(frame));
        const apiKey = r.readInt16(); const ver = r.readInt16(); const corr = r.readInt32();
        const cl = r.readInt16(); r.skip(cl); r.readTaggedFields();
        const port = (server.address() as net.AddressInfo).port;
        const reply = (body: Writer, delay = 0) => {
          const w = Writer.create().appendInt32(corr).appendTaggedFields().appendFrom(body).prependLength();
          const out = w.buffer;
          if (delay) setTimeout(() => { if (!sock.destroyed) sock.write(out); }, delay); else sock.write(out);
        };
        if (apiKey === 3) {
          const nTopics = r.readUnsignedVarInt() - 1; const names: string[] = [];
          for (let i = 0; i < nTopics; i++) { r.skip(16); names.push(r.readString()); r.readTaggedFields(); }
          const w = Writer.create().appendInt32(0)
            .appendArray([1], (w) => w.appendInt32(1).appendString('127.0.0.1').appendInt32(port).appendString(null))
            .appendString(null).appendInt32(1)
            .appendArray(names, (w, name) => w.appendInt16(0).appendString(name).appendUUID(null).appendBoolean(false)
              .appendArray([...Array(partitions).keys()], (w, p) => w.appendInt16(0).appendInt32(p).appendInt32(1).appendInt32(0)
                .appendArray([1], (w, x) => w.appendInt32(x), true, false).appendArray([1], (w, x) => w.appendInt32(x), true, false).appendArray([], () => {}, true, false))
              .appendInt32(0))
            .appendTaggedFields();
          reply(w);
        } else if (apiKey === 22) {
          reply(Writer.create().appendInt32(0).appendInt16(0).appendInt64(pid++).appendInt16(0).appendTaggedFields());
        } else if (apiKey === 0) {
          r.readNullableString(); r.readInt16(); r.readInt32();
          const p: Produce = { conn: me, corr, at: performance.now(), parts: [] };
          const nT = r.readUnsignedVarInt() - 1;
          for (let i = 0; i < nT; i++) {
            const topic = r.readString(); const nP = r.readUnsignedVarInt() - 1;
            for (let j = 0; j < nP; j++) {
              const partition = r.readInt32(); const bytes = r.readNullableBytes()!; r.readTaggedFields();
              const b = readRecordsBatch(Reader.from(Buffer.from(bytes)));
              p.parts.push({ topic, partition, pid: b.producerId, seq: b.firstSequence, count: b.records.length, raw: Buffer.from(bytes).toString('hex') });
            }
            r.readTaggedFields();
          }
          produces.push(p);
          const a = plan(p, produces.length);
          if (a.drop) continue;
          const byTopic = new Map<string, number[]>();
          for (const x of p.parts) if (!(a.omit ?? []).includes(`${x.topic}/${x.partition}`)) byTopic.set(x.topic, [...(byTopic.get(x.topic) ?? []), x.partition]);
          const w = Writer.create().appendArray([...byTopic], (w, [t, ps]) => w.appendString(t).appendArray(ps, (w, q) => w.appendInt32(q)
            .appendInt16(a.errors?.[`${t}/${q}`] ?? 0).appendInt64(0n).appendInt64(-1n).appendInt64(0n).appendArray([], () => {}).appendString(null)))
            .appendInt32(0).appendTaggedFields();
          reply(w, a.delayMs ?? 0);
        } else { sock.destroy(); }
      }
    });
  });
  return new Promise<{ port: number; produces: Produce[]; close: () => void }>((res) => server.listen(0, '127.0.0.1', () =>
    res({ port: (server.address() as net.AddressInfo).port, produces, close: () => server.close() })));
}

const recs = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ topic: 't', key: null, value: `${tag}-${i}` }));
/** [partition, producer id, base sequence, record count] of each batch of a request. */
const shape = (p: Produce) => p.parts.map((x) => [x.partition, Number(x.pid), x.seq, x.count]);

describe('lean sink retries and idempotence against a scripted broker', () => {
  it('a NOT_LEADER partition and a partition missing from the answer are retried alone with identical bytes; the next send continues their sequences', async () => {
    const b = await fakeBroker((_p, n) => (n === 1 ? { errors: { 't/0': 6 } } : n === 3 ? { omit: ['t/1'] } : {}));
    const sink = createLeanSink({ config: resolveKafkaConfig({ brokers: `127.0.0.1:${b.port}` }, {}) });
    try {
      await sink.send(recs(6, 'a'));
      await sink.send(recs(6, 'b'));
    } finally {
      await sink.close();
      b.close();
    }
    expect(b.produces).toHaveLength(4);
    const [first, retry, second, retry2] = b.produces;
    expect(shape(first)).toEqual([[0, 1000, 0, 3], [1, 1000, 0, 3]]);
    expect(shape(retry)).toEqual([[0, 1000, 0, 3]]); // only the refused partition, same producer id and sequence
    expect(retry.parts[0].raw).toBe(first.parts[0].raw); // the identical batch bytes
    expect(shape(second)).toEqual([[0, 1000, 3, 3], [1, 1000, 3, 3]]); // sequences continue after 3 acknowledged records
    expect(shape(retry2)).toEqual([[1, 1000, 3, 3]]); // the partition the broker did not answer
    expect(retry2.parts[0].raw).toBe(second.parts[1].raw);
  }, 20_000);

  it('retries back off: 250 ms, then 500 ms, then 1 s between the attempts at a partition whose leader is away, then it is acknowledged under the same producer id', async () => {
    const b = await fakeBroker((_p, n) => (n <= 3 ? { errors: { 't/0': 6 } } : {}));
    const sink = createLeanSink({ config: resolveKafkaConfig({ brokers: `127.0.0.1:${b.port}` }, {}) });
    try {
      await sink.send(recs(6, 'a'));
    } finally {
      await sink.close();
      b.close();
    }
    expect(b.produces).toHaveLength(4);
    const gaps = b.produces.slice(1).map((p, i) => p.at - b.produces[i].at);
    // Lower bounds with 10 ms to spare for timer granularity; a fixed 250 ms delay fails the last two.
    expect(gaps[0]).toBeGreaterThanOrEqual(240);
    expect(gaps[1]).toBeGreaterThanOrEqual(490);
    expect(gaps[2]).toBeGreaterThanOrEqual(990);
    for (const p of b.produces.slice(1)) expect(shape(p)).toEqual([[0, 1000, 0, 3]]);
  }, 20_000);

  it('a final error on one partition while the other is acknowledged: send-refused naming it, and the next send uses a new producer id from sequence 0', async () => {
    const b = await fakeBroker((_p, n) => (n === 1 ? { errors: { 't/1': 10 } } : {})); // 10 = MESSAGE_TOO_LARGE
    const sink = createLeanSink({ config: resolveKafkaConfig({ brokers: `127.0.0.1:${b.port}` }, {}) });
    let err: unknown = null;
    try {
      err = await sink.send(recs(6, 'a')).then(() => null, (e: unknown) => e);
      await sink.send(recs(6, 'b'));
    } finally {
      await sink.close();
      b.close();
    }
    expect(err).toBeInstanceOf(KafkaAdapterError);
    expect((err as KafkaAdapterError).code).toBe('send-refused');
    expect((err as KafkaAdapterError).retriable).toBe(false);
    expect((err as Error).message).toContain('MESSAGE_TOO_LARGE');
    expect(b.produces).toHaveLength(2); // a final answer is not retried
    expect(shape(b.produces[0])).toEqual([[0, 1000, 0, 3], [1, 1000, 0, 3]]);
    expect(shape(b.produces[1])).toEqual([[0, 1001, 0, 3], [1, 1001, 0, 3]]);
  }, 20_000);
});
