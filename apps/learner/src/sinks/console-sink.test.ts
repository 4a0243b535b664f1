import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConsoleSink } from './console-sink.js';

describe('ConsoleSink', () => {
  it('prints metrics as JSON lines on stdout, counts scores and dead letters, writes scores to a file when asked', async () => {
    const out: string[] = [];
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (s: string) => void warnings.push(s) });
    const file = join(mkdtempSync(join(tmpdir(), 'logit-sink-')), 'scores.jsonl');
    const sink = new ConsoleSink({
      topics: { scores: 'scores', metrics: 'metrics', dlq: 'events-dlq' },
      stdout: { write: (s: string) => out.push(s) },
      scoresOut: file,
      log,
      logRejections: 1,
    });
    await sink.send([
      { topic: 'scores', key: 'a', value: '{"id":"a"}' },
      { topic: 'events-dlq', key: 'b', value: '{"error":{"code":"bad-json"}}' },
      { topic: 'events-dlq', key: 'c', value: '{"error":{"code":"bad-id"}}' },
      { topic: 'metrics', key: 'l', value: Buffer.from('{"events":1}') },
      { topic: 'scores', key: 'd', value: Buffer.from('{"id":"d"}') },
    ]);
    await sink.close();
    expect(out).toEqual(['{"events":1}\n']);
    expect(sink.scores).toBe(2);
    expect(sink.deadLetters).toBe(2);
    expect(sink.metrics).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('bad-json');
    expect(readFileSync(file, 'utf8')).toBe('{"id":"a"}\n{"id":"d"}\n');
  });
});
