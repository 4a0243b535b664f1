import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../program.js';
import { configReferenceMarkdown } from './config-reference.js';
import { SETTINGS } from './settings.js';

function cli(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('logit config', () => {
  it('--print shows every effective setting with where it came from, and masks the SASL password', async () => {
    const t = cli({ KAFKA_SASL_PASSWORD: 'hunter2', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', LOGIT_L2: '0.01' });
    expect(await main(['config', '--print', '--brokers', '127.0.0.1:9092', '--learning-rate', '0.2'], t.io)).toBe(0);
    const out = t.out();
    expect(out).not.toContain('hunter2');
    const row = (key: string) => out.split('\n').find((l) => l.startsWith(`${key} `))?.trim().split(/\s{2,}/);
    expect(row('saslPassword')).toEqual(['saslPassword', '***', 'KAFKA_SASL_PASSWORD']);
    expect(row('learningRate')).toEqual(['learningRate', '0.2', '--learning-rate']);
    expect(row('l2')).toEqual(['l2', '0.01', 'LOGIT_L2']);
    expect(row('groupId')).toEqual(['groupId', 'logit-stream', 'default']);
    expect(row('brokers')).toEqual(['brokers', '["127.0.0.1:9092"]', '--brokers']);
    const j = cli();
    expect(await main(['config', '--print', '--json', '--for', 'replay', '--input', 'x.csv'], j.io)).toBe(0);
    const rows = JSON.parse(j.out()) as { key: string; value: unknown; origin: string }[];
    expect(rows.map((r) => r.key)).toEqual(SETTINGS.filter((s) => s.commands.includes('replay')).map((s) => s.key));
    expect(rows.find((r) => r.key === 'input')).toEqual({ key: 'input', value: 'x.csv', origin: 'flag', from: '--input' });
  });

  it('--print fails fast like the command would: exit 2 and a message naming setting, value and what is allowed', async () => {
    const t = cli();
    expect(await main(['config', '--print', '--learning-rate', '-1'], t.io)).toBe(2);
    expect(t.err()).toBe('error: --learning-rate "-1" is not allowed: use a number > 0\n');
    const u = cli({ LOGIT_OPTIMIZER: 'newton' });
    expect(await main(['config', '--print'], u.io)).toBe(2);
    expect(u.err()).toBe('error: LOGIT_OPTIMIZER "newton" is not allowed: use one of sgd|adagrad|ftrl\n');
  });

  it('run and replay stop at start on a wrong setting from any source (exit 2, before any I/O)', async () => {
    const a = cli();
    expect(await main(['run', '--learning-rate', '-1'], a.io)).toBe(2);
    expect(a.err()).toBe('error: --learning-rate "-1" is not allowed: use a number > 0\n');
    const b = cli();
    expect(await main(['run', '--optimizer', 'newton'], b.io)).toBe(2);
    expect(b.err()).toBe('error: --optimizer "newton" is not allowed: use one of sgd|adagrad|ftrl\n');
    const c = cli({ KAFKA_BROKERS: 'broker-1:9092;broker-2:9092' });
    expect(await main(['run'], c.io)).toBe(2);
    expect(c.err()).toMatch(/^error: KAFKA_BROKERS "broker-1:9092;broker-2:9092" is not allowed: use a comma list of host:port/);
    const d = cli({ LOGIT_LEARNING_RATE: 'fast' });
    expect(await main(['replay', '--input', '/nonexistent.csv'], d.io)).toBe(2);
    expect(d.err()).toBe('error: LOGIT_LEARNING_RATE "fast" is not allowed: use a number > 0\n');
  });

  it('docs/configuration.md is the current reference (regenerate: pnpm logit config --reference > docs/configuration.md)', async () => {
    const t = cli();
    expect(await main(['config', '--reference'], t.io)).toBe(0);
    expect(t.out()).toBe(configReferenceMarkdown());
    const committed = readFileSync(new URL('../../../../docs/configuration.md', import.meta.url), 'utf8');
    expect(committed).toBe(configReferenceMarkdown());
    for (const s of SETTINGS) expect(committed).toContain(`\`${s.env}\``);
  });
});
