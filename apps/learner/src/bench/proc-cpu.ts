import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on every Linux port that matters). */
const USER_HZ = 100;

/**
 * CPU time (user + system) that Linux process `pid` has used so far, in seconds, from fields 14 and
 * 15 of `/proc/<pid>/stat`; null when the process is gone or the file cannot be read. With `tid`,
 * that of one of its threads (`/proc/<pid>/task/<tid>/stat`; the main thread's tid is the pid).
 *
 * @param pid - process id
 * @param tid - thread id (default: the whole process)
 * @example
 * const before = readProcCpuSeconds(child.pid!);
 * const mainThread = readProcCpuSeconds(child.pid!, child.pid!);
 */
export function readProcCpuSeconds(pid: number, tid?: number): number | null {
  let text: string;
  try {
    text = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after its closing one.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) and stime (15) are fields[11] and fields[12].
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : null;
}
