import { describe, expect, it } from 'vitest';
import { MemorySink, MemorySource } from '../io/memory.js';
import { createLogger } from '../logger.js';
import { runConfigFromFlags } from '../options.js';
import { runService } from '../run.js';
import { parsePrometheusText } from './prometheus-samples.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('/readyz and rejects on /metrics during a run', () => {
  it('reports stalled (503, with the reason) while a send hangs longer than --stall-after (alive all the while); counts rejects by reason', async () => {
    const good = (i: number) => `{"id":"e-${i}","features":{"a":${i % 7}},"label":${i % 2}}`;
    const values = Array.from({ length: 30 }, (_, i) => (i === 3 || i === 4 ? '{"id":' : i === 5 ? '{"id":"x","features":{"a":1},"label":2}' : good(i)));
    const source = MemorySource.fromValues(values, { batchSize: 10 });
    const sink = new MemorySink();
    const send = sink.send.bind(sink);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let calls = 0;
    sink.send = async (records) => {
      if (++calls === 2) await released; // the second batch's send hangs until released
      return send(records);
    };
    const logLines: string[] = [];
    const logger = createLogger({ learnerId: 'r-1', destination: { write: (s: string) => logLines.push(s) } });
    const done = runService(runConfigFromFlags({ learnerId: 'r-1', httpPort: '0', stallAfter: '0.25' }, {}), {
      stdout: { write: () => undefined },
      stderr: { write: () => undefined },
      source,
      sink,
      logger,
    });
    let url = '';
    for (let i = 0; i < 300 && (url === '' || calls < 2); i++) {
      await sleep(10);
      const l = logLines.map((x) => JSON.parse(x) as { msg: string; url?: string }).find((x) => x.msg === 'metrics server listening');
      url = l?.url ?? '';
    }
    expect([calls, sink.sends]).toEqual([2, 1]); // blocked in the second send
    const blockedAt = Date.now();
    let r = await fetch(`${url}readyz`);
    expect(r.status).toBe(200); // just blocked: not stalled yet
    await r.body?.cancel();
    for (let i = 0; i < 200 && r.status === 200; i++) {
      await sleep(10);
      r = await fetch(`${url}readyz`);
      if (r.status === 200) await r.body?.cancel();
    }
    expect(Date.now() - blockedAt).toBeGreaterThanOrEqual(240); // --stall-after 0.25 s
    expect(r.status).toBe(503);
    const body = (await r.json()) as { ready: boolean; stalled: boolean; connected: boolean; reason: string };
    expect(body).toMatchObject({ ready: false, stalled: true, connected: true });
    expect(body.reason).toMatch(/^no progress for \d+ s with work pending$/);
    expect((await fetch(`${url}healthz`)).status).toBe(200); // alive, just not ready
    const samples = parsePrometheusText(await (await fetch(`${url}metrics`)).text());
    const v = (name: string, reason?: string) => samples.find((s) => s.name === name && (reason === undefined || s.labels.reason === reason))?.value;
    expect(v('logit_ready')).toBe(0);
    expect(v('logit_events_rejected_total', 'bad-json')).toBe(2);
    expect(v('logit_events_rejected_total', 'label-range')).toBe(1);
    // All three batches handled: the third while the second's send hangs (send overlap), none sent after it.
    expect(v('logit_events_in_total')).toBe(30);
    expect(v('logit_events_scored_total')).toBe(27);
    expect(sink.sends).toBe(1);
    release();
    const s = await done; // the source is exhausted once the last batch is through: a clean stop
    expect(s.reason).toBe('exhausted');
    expect(s.exitCode).toBe(0);
    expect(s.rejected).toBe(3);
  });
});
