import { describe, expect, it } from 'vitest';
import { toTopicMessages } from './topic-messages.js';

describe('toTopicMessages', () => {
  it('groups per topic in first-seen topic order, keeps each topic’s record order, adds headers only where given', () => {
    const out = toTopicMessages([
      { topic: 'scores', key: 'a', value: '1' },
      { topic: 'dlq', key: null, value: '2', headers: { reason: 'bad-json' } },
      { topic: 'scores', key: 'b', value: '3' },
    ]);
    expect(out).toEqual([
      { topic: 'scores', messages: [{ key: 'a', value: '1' }, { key: 'b', value: '3' }] },
      { topic: 'dlq', messages: [{ key: null, value: '2', headers: { reason: 'bad-json' } }] },
    ]);
    expect('headers' in out[0].messages[0]).toBe(false);
  });

  it('gives nothing for no records', () => {
    expect(toTopicMessages([])).toEqual([]);
  });
});
