import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './program.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env: {} },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

const LEARNING_FLAGS = [
  '--loss',
  '--optimizer',
  '--learning-rate',
  '--l2',
  '--label-smoothing',
  '--noise-rates',
  '--noise-correction',
  '--calibration',
  '--standardize',
];

describe('logit CLI', () => {
  it('replay --help documents every SPEC §3 flag, each with its default', async () => {
    const t = io();
    expect(await main(['replay', '--help'], t.io)).toBe(0);
    const help = t.out();
    for (const flag of ['--input', '--label-column', '--shuffle-seed', '--model-out', '--scores-out', '--progress-every', ...LEARNING_FLAGS]) {
      expect(help).toContain(flag);
    }
    // Every option line but --input (required) and --help names its default.
    const optionLines = help.split('\n').filter((l) => /^\s+--/.test(l) && !/--help|--input/.test(l));
    expect(optionLines.length).toBeGreaterThan(15);
    const wrapped = help.replace(/\n\s{20,}/g, ' ');
    for (const l of wrapped.split('\n').filter((x) => /^\s+--/.test(x) && !/--help|--input/.test(x))) expect(l).toMatch(/\(default: [^)]+\)/);
  });

  it('run --help documents the service flags of SPEC §3 with their defaults', async () => {
    const t = io();
    expect(await main(['run', '--help'], t.io)).toBe(0);
    const help = t.out();
    for (const flag of [
      '--brokers',
      '--group-id',
      '--events-topic',
      '--scores-topic',
      '--metrics-topic',
      '--dlq-topic',
      '--snapshots-topic',
      '--model-out',
      '--exit-on-idle',
      '--max-events',
      '--metrics-every',
      '--metrics-interval-ms',
      '--rate',
      '--partitions',
      ...LEARNING_FLAGS,
    ]) {
      expect(help).toContain(flag);
    }
    const wrapped = help.replace(/\s+/g, ' ');
    expect(wrapped).toContain('Kafka consumer group (default: logit-stream)');
    expect(wrapped).toContain('rejected events (default: events-dlq)');
  });

  it('exits with 2 and a message naming flag, value and what is allowed for a bad value', async () => {
    const t = io();
    expect(await main(['replay', '--input', 'x.csv', '--learning-rate', 'abc'], t.io)).toBe(2);
    expect(t.err()).toBe('error: --learning-rate "abc" is not allowed: use a number > 0\n');
    const u = io();
    expect(await main(['run', '--optimizer', 'newton'], u.io)).toBe(2);
    expect(u.err()).toContain('--optimizer "newton" is not allowed: use one of sgd|adagrad|ftrl');
  });

  it('registers `produce` (apps/producer) with its source, rate and noise flags', async () => {
    const t = io();
    expect(await main(['produce', '--help'], t.io)).toBe(0);
    for (const flag of ['--brokers', '--topic', '--input', '--count', '--rate', '--generator', '--drift-at', '--noise-rates']) {
      expect(t.out()).toContain(flag);
    }
  });

  it('produce without brokers exits with 2, naming --brokers and KAFKA_BROKERS', async () => {
    const t = io();
    expect(await main(['produce', '--count', '10'], t.io)).toBe(2);
    expect(t.err()).toMatch(/--brokers/);
    expect(t.err()).toMatch(/KAFKA_BROKERS/);
  });

  it('exits with 2 for an unknown option or command, and for a missing --input', async () => {
    const t = io();
    expect(await main(['replay', '--input', 'x.csv', '--lerning-rate', '1'], t.io)).toBe(2);
    expect(t.err()).toMatch(/unknown option '--lerning-rate'/);
    expect(await main(['frobnicate'], io().io)).toBe(2);
    const m = io();
    expect(await main(['replay'], m.io)).toBe(2);
    expect(m.err()).toMatch(/--input/);
  });

  it('runs `run --max-events` end to end on the embedded source: exit 0, the final metrics JSON on the last stdout line', async () => {
    const t = io();
    expect(await main(['run', '--max-events', '3000', '--log-level', 'silent'], t.io)).toBe(0);
    const last = JSON.parse(t.out().trimEnd().split('\n').at(-1)!) as { events: { seen: number }; total: { logLoss: number } };
    expect(last.events.seen).toBe(3000);
    expect(Number.isFinite(last.total.logLoss)).toBe(true);
    expect(process.listenerCount('SIGTERM')).toBe(0); // its signal handlers are removed again
  });

  it('runs `replay` end to end: exit 0, the summary JSON on the last stdout line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logit-cli-'));
    const csv = join(dir, 'd.csv');
    writeFileSync(csv, 'f,label\n1,1\n-1,0\n2,1\nx,0\n');
    const t = io();
    expect(await main(['replay', '--input', csv, '--learning-rate', '0.5'], t.io)).toBe(0);
    const last = JSON.parse(t.out().trimEnd().split('\n').at(-1)!) as { rows: number; rejected: number };
    expect(last).toMatchObject({ rows: 3, rejected: 1 });
    expect(t.err()).toContain(`rejected row 4, column 'f' (1): "x" is not a number`);
  });

  it('exits with 2 when the input file does not exist, naming it', async () => {
    const t = io();
    expect(await main(['replay', '--input', '/nonexistent/data.csv'], t.io)).toBe(2);
    expect(t.err()).toMatch(/cannot read --input \/nonexistent\/data.csv/);
  });
});
