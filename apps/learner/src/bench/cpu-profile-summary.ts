/** The parts of a V8 `.cpuprofile` (as written by `node --cpu-prof`) that the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time of one function or one area, as a share of the busy (non-idle) time. */
export interface ProfileShare {
  readonly name: string;
  readonly selfMs: number;
  readonly percent: number;
}

/** What {@link summarizeCpuProfile} returns. */
export interface CpuProfileSummary {
  /** Sampled time that was not `(idle)`, ms. */
  readonly busyMs: number;
  /** Sampled `(idle)` time, ms. */
  readonly idleMs: number;
  /** The functions with the most self time, descending. */
  readonly top: readonly ProfileShare[];
  /** Self time by area: kafkajs, rxjs, pino, core, kernel, learner, node (built-ins), gc, program, other. */
  readonly areas: readonly ProfileShare[];
}

/** The area a sampled function belongs to, from its script URL (`learnerUrl`: where the learner's bundle lives). */
function areaOf(name: string, url: string, learnerUrl: string | null): string {
  if (name === '(garbage collector)') return 'gc';
  if (name === '(program)' || name === '(root)') return 'program';
  if (url.includes('/kafkajs/')) return 'kafkajs';
  if (url.includes('/rxjs/')) return 'rxjs';
  if (url.includes('/pino') || url.includes('/sonic-boom/') || url.includes('/thread-stream/')) return 'pino';
  if (url.includes('packages/core/')) return 'core';
  if (url.includes('packages/kernel/')) return 'kernel';
  if (url.includes('apps/learner/') || (learnerUrl !== null && url.startsWith(learnerUrl))) return 'learner';
  if (url.startsWith('node:') || url === '') return 'node';
  return 'other';
}

/**
 * Self time per function and per area of a CPU profile: each sample's time delta is charged to the
 * function it hit; shares are of the busy time (all but `(idle)`). Functions are keyed by name and
 * `file:line`, so the same function from two call paths adds up.
 *
 * @param p - a parsed `.cpuprofile`
 * @param top - how many functions to list (default 15)
 * @param learnerUrl - URL prefix of the learner's own bundle when it is not under `apps/learner/` (e.g. a copy of dist)
 * @example
 * summarizeCpuProfile(JSON.parse(readFileSync('CPU.123.cpuprofile', 'utf8')), 10).areas
 */
export function summarizeCpuProfile(p: CpuProfile, top = 15, learnerUrl: string | null = null): CpuProfileSummary {
  const byId = new Map<number, { key: string; area: string; idle: boolean }>();
  for (const n of p.nodes) {
    const { functionName, url, lineNumber } = n.callFrame;
    const name = functionName === '' ? '(anonymous)' : functionName;
    const file = url === '' ? '' : ` ${url.slice(url.lastIndexOf('/') + 1)}:${lineNumber + 1}`;
    byId.set(n.id, { key: name + file, area: areaOf(name, url, learnerUrl), idle: name === '(idle)' });
  }
  const fn = new Map<string, number>();
  const area = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  const m = Math.min(p.samples.length, p.timeDeltas.length);
  // timeDeltas[i] is the time before sample i; charge the interval that ends at sample i+1 to sample i.
  for (let i = 0; i < m; i++) {
    const dt = i + 1 < m ? Math.max(0, p.timeDeltas[i + 1]) : 0;
    const node = byId.get(p.samples[i]);
    if (node === undefined) continue;
    if (node.idle) {
      idleUs += dt;
      continue;
    }
    busyUs += dt;
    fn.set(node.key, (fn.get(node.key) ?? 0) + dt);
    area.set(node.area, (area.get(node.area) ?? 0) + dt);
  }
  const shares = (mp: Map<string, number>): ProfileShare[] =>
    [...mp.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 100) / 10, percent: busyUs > 0 ? Math.round((1000 * us) / busyUs) / 10 : 0 }));
  return { busyMs: Math.round(busyUs / 1000), idleMs: Math.round(idleUs / 1000), top: shares(fn).slice(0, top), areas: shares(area) };
}
