/**
 * CPU cost per record of the result sink's producer clients, in one run on one broker: N score-like
 * records (Buffer keys, `{"id":…,"ts":…,"z":…,"p":…,"pCalibrated":…,"modelVersion":…,"label":…}`
 * values of ~150 bytes, built per send as the learner builds them) in sends of 1000, each awaited
 * before the next, to a fresh 1-partition topic per client. Reports, per client, this process's CPU
 * time (user + system, GC included) per record, the same minus a tight loop that only builds the
 * records (`netCpuUsPerRecord`), and the wall-clock rate. Client `none` sends nothing and waits 1 ms
 * per send: the loop's own cost with an idle event loop between sends, the fairer baseline to
 * subtract. The broker's own CPU is not counted. Prints one JSON object.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 node sink-bench.mjs [--records 300000] [--clients none,lean,platformatic,kafkajs] [--rounds 1]
 *
 * Build (not part of tsup's entries): `npx esbuild src/bench/sink-bench.ts --bundle --platform=node
 * --format=esm --conditions=source --external:@platformatic/kafka --external:kafkajs
 * --outfile=node_modules/.cache/sink-bench.mjs` in apps/learner.
 */
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';
import type { OutputRecord } from '../io/types.js';
import { readProcCpuSeconds } from './proc-cpu.js';
import { createKafkaClient, createKafkaSink, ensureTopics, resolveKafkaConfig } from '../kafka/index.js';
import { KAFKA_PRODUCER_CLIENTS, type KafkaProducerClient } from '../kafka/kafka-config.js';

const BATCH = 1000;

/** CPU seconds of this process's main thread (its task has the process's id), from /proc. */
function mainThreadCpuSeconds(): number {
  return readProcCpuSeconds(process.pid, process.pid) ?? Number.NaN;
}

/** One send's records, built the way the learner builds its scores (fresh strings each time). */
function buildBatch(topic: string, keys: readonly Buffer[], from: number, version: number): OutputRecord[] {
  const out = new Array<OutputRecord>(BATCH);
  for (let i = 0; i < BATCH; i++) {
    const n = from + i;
    const z = Math.sin(n) * 3;
    const p = 1 / (1 + Math.exp(-z));
    out[i] = {
      topic,
      key: keys[n % keys.length],
      value: `{"id":"bench-${n}","ts":1732300000000,"z":${z},"p":${p},"pCalibrated":${p},"modelVersion":${version},"label":${n & 1}}`,
    };
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { records: { type: 'string', default: '300000' }, clients: { type: 'string', default: 'none,lean,platformatic,kafkajs' }, rounds: { type: 'string', default: '1' } },
  });
  const records = Math.ceil(Number(values.records) / BATCH) * BATCH;
  const rounds = Number(values.rounds);
  const clients = values.clients.split(',').map((s) => s.trim()) as (KafkaProducerClient | 'none')[];
  for (const cl of clients) if (cl !== 'none' && !(KAFKA_PRODUCER_CLIENTS as readonly string[]).includes(cl)) throw new Error(`unknown client ${cl}: use none, ${KAFKA_PRODUCER_CLIENTS.join(', ')}`);
  const config = resolveKafkaConfig({ clientId: 'sink-bench', logLevel: 'error' });
  const kafka = createKafkaClient(config);
  const admin = kafka.admin();
  await admin.connect();
  const keys = Array.from({ length: 10_000 }, (_, i) => Buffer.from(`bench-${i}`));

  // The loop without a sink: what building the records costs (subtracted from each client's figure).
  const baseline = (): number => {
    const t = process.cpuUsage();
    let sink = 0;
    for (let from = 0; from < records; from += BATCH) sink += buildBatch('t', keys, from, 7).length;
    const u = process.cpuUsage(t);
    if (sink !== records) throw new Error('baseline');
    return (u.user + u.system) / records;
  };
  baseline();
  const results: Record<string, unknown>[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const client of clients) {
      const topic = `sink-bench-${client}-${Date.now().toString(36)}`;
      if (client !== 'none') await ensureTopics(admin, { topics: [topic], partitions: 1 });
      // 'none': no producer, each send waits 1 ms (about a broker round trip) doing nothing, so the
      // building of the records and the idle event loop between sends are measured alone.
      const sink =
        client === 'none'
          ? { connect: async () => {}, close: async () => {}, send: () => new Promise<void>((r) => setTimeout(r, 1)) }
          : createKafkaSink({ kafka, client, connection: config });
      await sink.connect();
      for (let from = 0; from < 20 * BATCH; from += BATCH) await sink.send(buildBatch(topic, keys, from, 1)); // warm-up
      global.gc?.();
      const base = baseline();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const m0 = mainThreadCpuSeconds();
      for (let from = 0; from < records; from += BATCH) await sink.send(buildBatch(topic, keys, from, 7));
      const cpu = process.cpuUsage(c0);
      const main = mainThreadCpuSeconds() - m0;
      const wall = performance.now() - t0;
      await sink.close();
      const total = (cpu.user + cpu.system) / records;
      results.push({
        round,
        client,
        records,
        cpuUsPerRecord: +total.toFixed(3),
        buildUsPerRecord: +base.toFixed(3),
        netCpuUsPerRecord: +(total - base).toFixed(3),
        // The calling thread alone (the lean-worker client produces on a thread of its own; 10 ms ticks).
        mainThreadCpuUsPerRecord: +((main * 1e6) / records).toFixed(3),
        userUsPerRecord: +(cpu.user / records).toFixed(3),
        systemUsPerRecord: +(cpu.system / records).toFixed(3),
        recordsPerSecond: Math.round(records / (wall / 1000)),
      });
      process.stderr.write(`sink-bench: ${JSON.stringify(results[results.length - 1])}\n`);
      if (client !== 'none') await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    }
  }
  await admin.disconnect();
  process.stdout.write(`${JSON.stringify({ node: process.version, cpus: cpus().length, loadavg: loadavg().map((l) => +l.toFixed(2)), results }, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`sink-bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
