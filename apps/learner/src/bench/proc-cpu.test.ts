import { describe, expect, it } from 'vitest';
import { readProcCpuSeconds } from './proc-cpu.js';

describe('readProcCpuSeconds', () => {
  it("matches this process's own process.cpuUsage() to within 0.1 s, and grows by what busy work burnt (±0.05 s)", () => {
    const a = readProcCpuSeconds(process.pid);
    const u = process.cpuUsage();
    expect(a).not.toBeNull();
    expect(Math.abs(a! - (u.user + u.system) / 1e6)).toBeLessThan(0.1);
    // Burn 0.2 s of CPU (as process.cpuUsage() counts it; bounded by 10 s of wall time on a busy machine).
    const start = process.cpuUsage();
    const deadline = Date.now() + 10_000;
    let x = 0;
    while (process.cpuUsage(start).user < 200_000 && Date.now() < deadline) for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + i);
    expect(x).toBeGreaterThan(0);
    const burnt = process.cpuUsage(start);
    expect(burnt.user).toBeGreaterThanOrEqual(200_000);
    const b = readProcCpuSeconds(process.pid)!;
    // The kernel counts in 10 ms ticks, so allow 0.05 s either way.
    expect(Math.abs(b - a! - (burnt.user + burnt.system) / 1e6)).toBeLessThan(0.05);
  });

  it("with a thread id: the main thread's share is at most the process's (±0.05 s), and a busy loop on it shows there (±0.05 s)", () => {
    const p0 = readProcCpuSeconds(process.pid)!;
    const t0 = readProcCpuSeconds(process.pid, process.pid)!;
    expect(t0).toBeLessThanOrEqual(p0 + 0.05);
    const start = process.cpuUsage();
    const deadline = Date.now() + 10_000;
    let x = 0;
    while (process.cpuUsage(start).user < 200_000 && Date.now() < deadline) for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + i);
    expect(x).toBeGreaterThan(0);
    const t1 = readProcCpuSeconds(process.pid, process.pid)!;
    expect(t1 - t0).toBeGreaterThanOrEqual(0.15);
    expect(readProcCpuSeconds(process.pid, 2 ** 30)).toBeNull();
  });

  it('returns null for a process that does not exist', () => {
    expect(readProcCpuSeconds(2 ** 30)).toBeNull();
  });
});
