import { describe, expect, it } from 'vitest';
import { readProcMemory } from './proc-status.js';

describe('readProcMemory', () => {
  it("reads this process's VmRSS (within 16 MiB of process.memoryUsage().rss) and VmHWM ≥ VmRSS", () => {
    const m = readProcMemory(process.pid);
    expect(m).not.toBeNull();
    expect(Math.abs(m!.rssBytes - process.memoryUsage().rss)).toBeLessThan(16 * 1024 * 1024);
    expect(m!.hwmBytes).toBeGreaterThanOrEqual(m!.rssBytes);
  });

  it('splits VmRSS into RssAnon + RssFile + RssShmem exactly (one reading of the file)', () => {
    const m = readProcMemory(process.pid)!;
    expect(m.rssAnonBytes).not.toBeNull();
    expect(m.rssAnonBytes!).toBeGreaterThan(0);
    expect(m.rssFileBytes!).toBeGreaterThan(0);
    expect(m.rssAnonBytes! + m.rssFileBytes! + m.rssShmemBytes!).toBe(m.rssBytes);
  });

  it('returns null for a process that does not exist', () => {
    expect(readProcMemory(2 ** 30)).toBeNull();
  });
});
