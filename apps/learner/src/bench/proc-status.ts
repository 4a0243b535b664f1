import { readFileSync } from 'node:fs';

/** Memory figures of a Linux process from `/proc/<pid>/status`, in bytes. */
export interface ProcMemory {
  /** Resident set size now (VmRSS). */
  readonly rssBytes: number;
  /** Peak resident set size so far (VmHWM). */
  readonly hwmBytes: number;
  /**
   * The anonymous part of the RSS (RssAnon: the V8 heap, malloc, Buffers), or null on a kernel
   * older than 4.5. RssAnon + RssFile + RssShmem = VmRSS.
   */
  readonly rssAnonBytes: number | null;
  /** The file-backed part of the RSS (RssFile: the node binary, shared libraries), or null on a kernel older than 4.5. */
  readonly rssFileBytes: number | null;
  /** The shared-memory part of the RSS (RssShmem), or null on a kernel older than 4.5. */
  readonly rssShmemBytes: number | null;
}

/**
 * Reads VmRSS, VmHWM and the RSS's parts (RssAnon, RssFile, RssShmem) of process `pid` (Linux only). Returns null when the process is gone or
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
  const part = (field: string): number | null => {
    const v = kib(field);
    return Number.isNaN(v) ? null : v;
  };
  return Number.isNaN(rssBytes) ? null : { rssBytes, hwmBytes, rssAnonBytes: part('RssAnon'), rssFileBytes: part('RssFile'), rssShmemBytes: part('RssShmem') };
}
