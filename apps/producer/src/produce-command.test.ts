import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { produceOptionsFromFlags, registerProduceCommand } from './produce-command.js';
import { ProducerError } from './producer-error.js';

describe('produceOptionsFromFlags', () => {
  it('maps synthetic-stream flags', () => {
    const o = produceOptionsFromFlags(
      { topic: 't1', count: '2000', rate: '500', partitions: '3', generator: 'hyperplane', driftAt: '1000', noiseRates: '0.1,0.2', trustedFraction: '0.05', seed: '9' },
      {},
    );
    expect(o.topic).toBe('t1');
    expect(o.count).toBe(2000);
    expect(o.rate).toBe(500);
    expect(o.partitions).toBe(3);
    expect(o.input).toBeNull();
    expect(o.synthetic).toEqual({ generator: 'hyperplane', seed: 9, driftAt: 1000, noiseRates: [0.1, 0.2], trustedFraction: 0.05 });
  });

  it('defaults: topic events, every row / endless, as fast as possible, one partition', () => {
    const o = produceOptionsFromFlags({ input: 'data.csv', labelColumn: 'y' }, {});
    expect(o).toMatchObject({ topic: 'events', input: 'data.csv', labelColumn: 'y', count: null, rate: 0, partitions: 1, batchSize: 500, encoding: 'json' });
  });

  it('--encoding json|binary for every source (CSV and synthetic)', () => {
    expect(produceOptionsFromFlags({ input: 'data.csv', encoding: 'binary' }, {}).encoding).toBe('binary');
    expect(produceOptionsFromFlags({ generator: 'hyperplane', encoding: 'binary' }, {}).encoding).toBe('binary');
    expect(produceOptionsFromFlags({ encoding: 'json' }, {}).encoding).toBe('json');
  });

  it('errors name the flag, the value and what is allowed', () => {
    const bad = (flags: Record<string, string>): ProducerError => {
      try {
        produceOptionsFromFlags(flags, {});
      } catch (e) {
        expect(e).toBeInstanceOf(ProducerError);
        expect((e as ProducerError).exitCode).toBe(2);
        return e as ProducerError;
      }
      throw new Error('expected a ProducerError');
    };
    expect(bad({ rate: 'fast' }).message).toBe('--rate "fast" is not valid: use a number of events per second >= 0 (0 = as fast as possible)');
    expect(bad({ count: '2.5' }).message).toContain('--count "2.5"');
    expect(bad({ noiseRates: '0.6,0.5' }).message).toContain('r0 + r1 < 1');
    expect(bad({ generator: 'agrawal' }).message).toContain('sea, hyperplane');
    expect(bad({ input: 'a.csv', driftAt: '5' }).message).toContain('do not apply');
    expect(bad({ encoding: 'avro' }).message).toBe('--encoding "avro" is not valid: use one of json, binary');
  });
});

describe('registerProduceCommand', () => {
  it('adds `produce` with every option documented in --help', () => {
    const program = new Command('logit');
    const cmd = registerProduceCommand(program, { stdout: { write: () => true }, stderr: { write: () => true }, env: {} });
    expect(program.commands.map((c) => c.name())).toEqual(['produce']);
    const help = cmd.helpInformation();
    for (const flag of ['--brokers', '--topic', '--input', '--count', '--rate', '--partitions', '--drift-at', '--noise-rates', '--trusted-fraction', '--generator', '--encoding']) {
      expect(help).toContain(flag);
    }
    expect(help).toMatch(/--encoding <format>\s+message value format: json \(SPEC §2 text\) or binary/);
  });

  it('reports a bad option as exit code 2 with the message on stderr, without touching Kafka', async () => {
    const err: string[] = [];
    const result = { code: -1 };
    const program = new Command('logit').exitOverride();
    registerProduceCommand(program, { stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) }, env: {} }, { result, handleSignals: false });
    await program.parseAsync(['produce', '--rate', '-3'], { from: 'user' });
    expect(result.code).toBe(2);
    expect(err.join('')).toContain('--rate "-3" is not valid');
  });

  it('says how to get a broker when none is configured (exit 2)', async () => {
    const err: string[] = [];
    const result = { code: -1 };
    const program = new Command('logit').exitOverride();
    registerProduceCommand(program, { stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) }, env: {} }, { result, handleSignals: false });
    await program.parseAsync(['produce', '--count', '1'], { from: 'user' });
    expect(result.code).toBe(2);
    expect(err.join('')).toContain('KAFKA_BROKERS');
  });
});
