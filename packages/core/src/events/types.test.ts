import { describe, expect, it } from 'vitest';
import { DecodedEvent } from '../index.js';

describe('DecodedEvent', () => {
  it('pre-allocates its feature vector with the given capacity', () => {
    const e = new DecodedEvent(8);
    expect(e.x.capacity).toBe(8);
    expect(e.x.nnz).toBe(0);
    expect(e.label).toBeNull();
  });
});
