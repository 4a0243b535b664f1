import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySink } from '../io/memory.js';
import { ScoresFileTee } from './scores-file-tee.js';

describe('ScoresFileTee', () => {
  it('writes the score records to the file and passes every record on', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'logit-tee-')), 's.jsonl');
    const inner = new MemorySink();
    const tee = new ScoresFileTee(inner, 'scores', file);
    await tee.send([
      { topic: 'scores', key: 'a', value: '{"id":"a"}' },
      { topic: 'metrics', key: 'l', value: '{}' },
      { topic: 'scores', key: 'b', value: Buffer.from('{"id":"b"}') },
    ]);
    await tee.close();
    expect(inner.records).toHaveLength(3);
    expect(inner.closed).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('{"id":"a"}\n{"id":"b"}\n');
  });
});
