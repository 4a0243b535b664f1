import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../app-error.js';
import { runConfigFromFlags } from '../options.js';
import { parseSetting, ResolvedSettings } from './resolved-settings.js';
import { setting, SETTINGS } from './settings.js';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).exitCode).toBe(2);
    return (e as AppError).message;
  }
  throw new Error('expected an AppError');
}

function configFile(v: unknown): string {
  const p = join(mkdtempSync(join(tmpdir(), 'logit-cfg-')), 'logit.json');
  writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v));
  return p;
}

describe('the settings schema', () => {
  it('has unique keys, flags and environment variables, LOGIT_* or KAFKA_*, and commander-style keys', () => {
    const keys = SETTINGS.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    const flags = SETTINGS.flatMap((s) => (s.flag === null ? [] : [s.flag.split(' ')[0]]));
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(SETTINGS.map((s) => s.env)).size).toBe(SETTINGS.length);
    for (const s of SETTINGS) {
      expect(s.env).toMatch(/^(LOGIT|KAFKA)_[A-Z0-9_]+$/);
      // commander turns --learning-rate into learningRate: the key must be that attribute name.
      if (s.flag !== null) expect(s.flag.split(' ')[0].slice(2).replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())).toBe(s.key);
    }
  });
});

describe('ResolvedSettings', () => {
  it('takes a flag over the environment over the config file over the default, and says where each came from', () => {
    const file = configFile({ learningRate: 0.3, rate: 7, eventsTopic: 'from-file', l2: 0.5 });
    const s = ResolvedSettings.collect('run', { learningRate: '0.1', config: file }, { LOGIT_LEARNING_RATE: '0.2', LOGIT_RATE: '9' });
    expect([s.get('learningRate'), s.origin('learningRate')]).toEqual([0.1, 'flag']);
    expect([s.get('rate'), s.origin('rate'), s.name('rate')]).toEqual([9, 'env', 'LOGIT_RATE']);
    expect([s.get('eventsTopic'), s.origin('eventsTopic'), s.name('eventsTopic')]).toEqual(['from-file', 'file', `eventsTopic (in ${file})`]);
    expect([s.get('seed'), s.origin('seed'), s.name('seed')]).toEqual([undefined, 'default', '--seed']);
    const c = runConfigFromFlags({ config: file }, { LOGIT_CONFIG: '/ignored-because-the-flag-wins.json' });
    expect(c.learner.learningRate).toBe(0.3);
    expect(c.learner.l2).toBe(0.5);
    expect(c.embedded.rate).toBe(7);
    expect(c.topics.events).toBe('from-file');
    expect(runConfigFromFlags({}, { LOGIT_CONFIG: file }).topics.events).toBe('from-file');
  });

  it('names the environment variable or the file key when a bad value came from there', () => {
    expect(message(() => runConfigFromFlags({}, { LOGIT_LEARNING_RATE: '-1' }))).toBe('LOGIT_LEARNING_RATE "-1" is not allowed: use a number > 0');
    expect(message(() => runConfigFromFlags({}, { LOGIT_OPTIMIZER: 'newton' }))).toBe('LOGIT_OPTIMIZER "newton" is not allowed: use one of sgd|adagrad|ftrl');
    const file = configFile({ learningRate: -1 });
    expect(message(() => runConfigFromFlags({ config: file }, {}))).toBe(`learningRate (in ${file}) -1 is not allowed: use a number > 0`);
    // Cross-setting rules of core name the setting as given, too.
    expect(message(() => runConfigFromFlags({}, { LOGIT_L1: '0.1' }))).toMatch(/^LOGIT_L1 0.1 is not allowed: use 0 unless optimizer is 'ftrl'/);
    expect(message(() => runConfigFromFlags({}, { KAFKA_BROKERS: 'a:9092,b' }))).toMatch(/^KAFKA_BROKERS "a:9092,b" is not allowed: use a comma list of host:port/);
  });

  it('fails fast on a malformed broker list and on inconsistent Kafka connection settings', () => {
    expect(message(() => runConfigFromFlags({ brokers: 'localhost' }, {}))).toMatch(/^--brokers "localhost" is not allowed: use a comma list of host:port/);
    expect(message(() => runConfigFromFlags({ brokers: 'h:99999' }, {}))).toMatch(/ports in 1\.\.65535/);
    expect(message(() => runConfigFromFlags({ brokers: ' , ' }, {}))).toMatch(/^--brokers " , " is not allowed/);
    expect(message(() => runConfigFromFlags({ brokers: 'h:9092' }, { KAFKA_SASL_PASSWORD: 'x' }))).toMatch(/SASL username or password is set but no mechanism/);
    expect(message(() => runConfigFromFlags({ brokers: 'h:9092' }, { KAFKA_SASL_MECHANISM: 'md5' }))).toMatch(/KAFKA_SASL_MECHANISM "md5"/);
    // Without brokers (the embedded source) the Kafka settings are not used, so not checked against each other.
    expect(runConfigFromFlags({}, { KAFKA_SASL_PASSWORD: 'x' }).brokers).toBeNull();
    const file = configFile({ saslMechanism: 'plain', saslUsername: 'u', saslPassword: 'p', requestTimeoutMs: 1000 });
    expect(runConfigFromFlags({ brokers: 'h:9092', config: file }, {}).kafka).toEqual({
      saslMechanism: 'plain',
      saslUsername: 'u',
      saslPassword: 'p',
      requestTimeoutMs: 1000,
    });
  });

  it('reads switches from the environment and the file as booleans, and rejects anything else', () => {
    expect(runConfigFromFlags({ denseDim: '3' }, { LOGIT_STANDARDIZE: 'true' }).learner.standardize).toBe(true);
    expect(runConfigFromFlags({ denseDim: '3' }, { LOGIT_STANDARDIZE: '0' }).learner.standardize).toBe(false);
    expect(message(() => runConfigFromFlags({}, { LOGIT_STANDARDIZE: 'maybe' }))).toBe('LOGIT_STANDARDIZE "maybe" is not allowed: use true or false (or 1/0, yes/no, on/off)');
    expect(parseSetting(setting('standardize'), true, 'standardize (in f)')).toBe(true);
    expect(parseSetting(setting('driftDetectors'), ['adwin', 'ddm'], 'x')).toEqual(['adwin', 'ddm']);
    expect(parseSetting(setting('noiseRates'), [0.1, 0.2], 'x')).toEqual([0.1, 0.2]);
    expect(message(() => parseSetting(setting('rate'), true, 'rate (in f)'))).toBe('rate (in f) true is not allowed: use a number >= 0');
    // An empty environment variable counts as unset.
    expect(runConfigFromFlags({}, { LOGIT_RATE: '' }).embedded.rate).toBe(0);
  });

  it('stops on an unreadable, malformed or unknown-key config file, naming the file and the key', () => {
    expect(message(() => runConfigFromFlags({ config: '/nonexistent/logit.json' }, {}))).toMatch(/^cannot read the config file \/nonexistent\/logit.json \(ENOENT\)/);
    const broken = configFile('{"rate": ');
    expect(message(() => runConfigFromFlags({ config: broken }, {}))).toMatch(new RegExp(`^the config file ${broken} is not valid JSON`));
    expect(message(() => runConfigFromFlags({ config: configFile([1]) }, {}))).toMatch(/must hold one JSON object/);
    const typo = configFile({ learningRat: 0.1 });
    expect(message(() => runConfigFromFlags({ config: typo }, {}))).toBe(`unknown setting "learningRat" in the config file ${typo}: see docs/configuration.md for the keys`);
    expect(message(() => runConfigFromFlags({ config: configFile({ rate: { x: 1 } }) }, {}))).toMatch(/^rate \(in .*\) \{"x":1\} is not allowed/);
    // A key of the other command is allowed (one file for both) and ignored.
    expect(runConfigFromFlags({ config: configFile({ input: 'x.csv', rate: 3 }) }, {}).embedded.rate).toBe(3);
  });
});
