import { readFileSync } from 'node:fs';

/** Memory figures of a Linux process from `/proc/<pid>/status`, in bytes. */
export interface ProcMemory {
  /** Resident set size now (VmRSS). */
  readonly rssBytes: number;
  /** Peak resident set size so far (VmHWM). */
  readonly hwmBytes: number;
}

/**
 * Reads VmRSS and VmHWM of process `pid` (Linux only). Returns null when the process is gone or
 * the file cannot be read (e.g. not Linux).
 *
 * @param pid - process id
 * @example
 * readProcMemory(child.pid!)?.hwmBytes
 */
export function readProcMemory(pid: number): ProcMemory | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kib = (field: string): number => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
    return m === null ? NaN : Number(m[1]) * 1024;
  };
  const rssBytes = kib('VmRSS');
  const hwmBytes = kib('VmHWM');
  return Number.isNaN(rssBytes) ? null : { rssBytes, hwmBytes };
}
