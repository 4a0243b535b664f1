import { AppError } from '../app-error.js';

/** One learner of a group as the group view shows it: the figures of its newest metrics report. */
export interface GroupLearnerRow {
  readonly learnerId: string;
  /** Time of the report (epoch ms). */
  readonly ts: number;
  /** now − ts when the view was read (negative when the learner's clock is ahead). */
  readonly ageMs: number;
  /** Events accepted (`events.seen`). */
  readonly events: number;
  /** Labelled events behind the total quality metrics (`total.count`). */
  readonly labelled: number;
  readonly modelVersion: number;
  /** Events/s over the learner's last report interval, or null when the report has none. */
  readonly throughput: number | null;
  readonly lagMs: number | null;
  readonly logLossTotal: number | null;
  readonly logLossWindow: number | null;
  readonly accuracyTotal: number | null;
  readonly brierTotal: number | null;
  readonly eceWindow: number | null;
  /** Labelled events behind the window metrics (`window.count`). */
  readonly windowCount: number;
}

/** The group as a whole: sums over its live (not stale) learners, and event-weighted quality. */
export interface GroupTotals {
  /** Live learners (a report within the staleness limit). */
  readonly learners: number;
  /** Stale learners: silent for longer than the limit without a final report (killed, hung, cut off); left out of every figure below. */
  readonly stale: number;
  /** Learners whose newest report is a final one (a clean shutdown); left out of every figure below. */
  readonly stopped: number;
  /** Σ events. */
  readonly events: number;
  /** Σ labelled events (the weights of the total quality metrics). */
  readonly labelled: number;
  /** Σ throughput (events/s). */
  readonly throughput: number;
  /**
   * Σ labelled_i · logLossTotal_i / Σ labelled_i over the learners whose total log loss is defined:
   * the prequential log loss of the group's events taken together. Null when no learner has one.
   */
  readonly logLoss: number | null;
  /** The same weighting of the window log losses, by `window.count`. */
  readonly logLossWindow: number | null;
  /** Labelled-event-weighted total accuracy. */
  readonly accuracy: number | null;
  /** Labelled-event-weighted total Brier score. */
  readonly brier: number | null;
  /**
   * ECE of the group's windows together: the learners' reliability bins pooled (count-weighted mean
   * p and mean y per bin), then Σ_b (n_b / N) |ȳ_b − p̄_b|; null without labelled window events or
   * when the learners' bins differ.
   */
  readonly eceWindow: number | null;
  /** The largest lag of a live learner, or null when none reports one. */
  readonly maxLagMs: number | null;
  /** The lowest and highest model version among live learners (null without learners). */
  readonly modelVersionMin: number | null;
  readonly modelVersionMax: number | null;
}

/** What {@link GroupView.toJSON} returns: the `group` member of `/live.json`. */
export interface GroupViewJson {
  readonly groupId: string;
  /** When the view was read (epoch ms). */
  readonly ts: number;
  readonly staleAfterMs: number;
  /** Live learners, by learner id. */
  readonly learners: GroupLearnerRow[];
  /** Learners whose newest report is older than `staleAfterMs` and not final, by learner id. */
  readonly stale: GroupLearnerRow[];
  /** Learners whose newest report is final (`final: true`: they shut down cleanly), by learner id. */
  readonly stopped: GroupLearnerRow[];
  readonly totals: GroupTotals;
  /** Reports taken (a repeat of the kept one's ts not counted again), and reports passed over: of another group (or none), not a report, older than the kept one or than `forgetAfterMs`. */
  readonly counts: { readonly accepted: number; readonly otherGroup: number; readonly invalid: number; readonly old: number };
}

/** Settings of {@link GroupView}. */
export interface GroupViewOptions {
  /** The group shown; reports of other groups (or without `groupId`) are passed over. */
  readonly groupId: string;
  /** A learner whose newest report is older than this is stale (default 15 000 ms: 3 × the default metrics interval). */
  readonly staleAfterMs?: number;
  /** Reports older than this are forgotten (default 20 × staleAfterMs), so learners gone long ago leave the view. */
  readonly forgetAfterMs?: number;
  /** Wall clock (default Date.now). */
  readonly now?: () => number;
}

interface Entry {
  row: Omit<GroupLearnerRow, 'ageMs'>;
  final: boolean;
  /** Reliability bins of the window: lower bounds, counts, count·meanP, count·meanY. */
  binLower: number[];
  binCount: number[];
  binSumP: number[];
  binSumY: number[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const field = (o: unknown, k: string): unknown => (isObject(o) ? o[k] : undefined);

/**
 * The group's view of itself (scale-out, issue 8): fed with the metrics reports (SPEC §2, parsed
 * JSON) of every learner, as read from the metrics topic, it keeps the newest report of each learner
 * of ONE group, sets apart as stopped the learners whose newest report is final (a clean shutdown)
 * and as stale those whose newest report is older than a limit (killed or cut off), and sums up the
 * live ones: events and throughput add up; total log loss, accuracy and Brier are weighted by
 * each learner's labelled events (so they are the prequential figures of all the group's events
 * together); lag is the worst. Pure: no I/O, the clock is injected.
 *
 * @example
 * const view = new GroupView({ groupId: 'logit-stream', staleAfterMs: 3 * 5000 });
 * view.add(JSON.parse(message.value.toString()));
 * view.toJSON().totals.logLoss
 */
export class GroupView {
  readonly groupId: string;
  readonly staleAfterMs: number;
  readonly forgetAfterMs: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly counts = { accepted: 0, otherGroup: 0, invalid: 0, old: 0 };

  constructor(o: GroupViewOptions) {
    this.groupId = o.groupId;
    this.staleAfterMs = o.staleAfterMs ?? 15_000;
    this.forgetAfterMs = o.forgetAfterMs ?? 20 * this.staleAfterMs;
    if (!(this.staleAfterMs > 0) || !(this.forgetAfterMs >= this.staleAfterMs)) {
      throw new AppError(
        'bad-option',
        `GroupView staleAfterMs ${this.staleAfterMs} must be > 0 and forgetAfterMs ${this.forgetAfterMs} at least as large; pass positive limits`,
      );
    }
    this.now = o.now ?? Date.now;
  }

  /**
   * Takes one metrics report (a parsed JSON value; anything else is counted and passed over).
   *
   * @param report - a SPEC §2 metrics report with `groupId`
   * @returns whether it is now the learner's newest report in the view
   */
  add(report: unknown): boolean {
    const learnerId = field(report, 'learnerId');
    const ts = num(field(report, 'ts'));
    if (typeof learnerId !== 'string' || learnerId.length === 0 || ts === null) {
      this.counts.invalid++;
      return false;
    }
    if (field(report, 'groupId') !== this.groupId) {
      this.counts.otherGroup++;
      return false;
    }
    const prev = this.entries.get(learnerId);
    if ((prev !== undefined && ts < prev.row.ts) || this.now() - ts > this.forgetAfterMs) {
      this.counts.old++;
      return false;
    }
    const total = field(report, 'total');
    const window = field(report, 'window');
    const e: Entry = {
      row: {
        learnerId,
        ts,
        events: num(field(field(report, 'events'), 'seen')) ?? 0,
        labelled: num(field(total, 'count')) ?? 0,
        modelVersion: num(field(report, 'modelVersion')) ?? 0,
        throughput: num(field(report, 'throughput')),
        lagMs: num(field(report, 'lagMs')),
        logLossTotal: num(field(total, 'logLoss')),
        logLossWindow: num(field(window, 'logLoss')),
        accuracyTotal: num(field(total, 'accuracy')),
        brierTotal: num(field(total, 'brier')),
        eceWindow: num(field(window, 'ece')),
        windowCount: num(field(window, 'count')) ?? 0,
      },
      final: field(report, 'final') === true,
      binLower: [],
      binCount: [],
      binSumP: [],
      binSumY: [],
    };
    const bins = field(report, 'reliability');
    if (Array.isArray(bins)) {
      for (const b of bins) {
        const n = num(field(b, 'count')) ?? 0;
        e.binLower.push(num(field(b, 'lower')) ?? Number.NaN);
        e.binCount.push(n);
        e.binSumP.push(n === 0 ? 0 : n * (num(field(b, 'meanP')) ?? 0));
        e.binSumY.push(n === 0 ? 0 : n * (num(field(b, 'meanY')) ?? 0));
      }
    }
    this.entries.set(learnerId, e);
    // The same report given again (the learner's own, added on every read) is not counted twice.
    if (prev === undefined || ts > prev.row.ts) this.counts.accepted++;
    return true;
  }

  /** Learners in the view (live, stale and stopped). */
  get size(): number {
    return this.entries.size;
  }

  /** The group now: live, stale and stopped learners and the totals of the live ones (forgets reports past `forgetAfterMs`). */
  toJSON(): GroupViewJson {
    const now = this.now();
    const live: Entry[] = [];
    const learners: GroupLearnerRow[] = [];
    const stale: GroupLearnerRow[] = [];
    const stopped: GroupLearnerRow[] = [];
    const ids = [...this.entries.keys()].sort();
    for (const id of ids) {
      const e = this.entries.get(id) as Entry;
      const ageMs = now - e.row.ts;
      if (ageMs > this.forgetAfterMs) {
        this.entries.delete(id);
        continue;
      }
      const row: GroupLearnerRow = { ...e.row, ageMs };
      if (e.final) stopped.push(row);
      else if (ageMs > this.staleAfterMs) stale.push(row);
      else {
        learners.push(row);
        live.push(e);
      }
    }
    return {
      groupId: this.groupId,
      ts: now,
      staleAfterMs: this.staleAfterMs,
      learners,
      stale,
      stopped,
      totals: totalsOf(live, stale.length, stopped.length),
      counts: { ...this.counts },
    };
  }
}

function weighted(live: readonly Entry[], value: (r: Entry['row']) => number | null, weight: (r: Entry['row']) => number): number | null {
  let sum = 0;
  let w = 0;
  for (const e of live) {
    const v = value(e.row);
    const n = weight(e.row);
    if (v === null || n <= 0) continue;
    sum += n * v;
    w += n;
  }
  return w > 0 ? sum / w : null;
}

function pooledEce(live: readonly Entry[]): number | null {
  const first = live.find((e) => e.binCount.length > 0);
  if (first === undefined) return null;
  const k = first.binLower.length;
  const n = new Array<number>(k).fill(0);
  const sp = new Array<number>(k).fill(0);
  const sy = new Array<number>(k).fill(0);
  for (const e of live) {
    if (e.binCount.length === 0) continue;
    if (e.binLower.length !== k || e.binLower.some((l, i) => l !== first.binLower[i])) return null;
    for (let b = 0; b < k; b++) {
      n[b] += e.binCount[b];
      sp[b] += e.binSumP[b];
      sy[b] += e.binSumY[b];
    }
  }
  let total = 0;
  let gap = 0;
  for (let b = 0; b < k; b++) {
    total += n[b];
    gap += Math.abs(sy[b] - sp[b]);
  }
  return total > 0 ? gap / total : null;
}

function totalsOf(live: readonly Entry[], stale: number, stopped: number): GroupTotals {
  let events = 0;
  let labelled = 0;
  let throughput = 0;
  let maxLagMs: number | null = null;
  let mvMin: number | null = null;
  let mvMax: number | null = null;
  for (const { row } of live) {
    events += row.events;
    labelled += row.labelled;
    throughput += row.throughput ?? 0;
    if (row.lagMs !== null) maxLagMs = maxLagMs === null ? row.lagMs : Math.max(maxLagMs, row.lagMs);
    mvMin = mvMin === null ? row.modelVersion : Math.min(mvMin, row.modelVersion);
    mvMax = mvMax === null ? row.modelVersion : Math.max(mvMax, row.modelVersion);
  }
  const byLabelled = (r: Entry['row']): number => r.labelled;
  return {
    learners: live.length,
    stale,
    stopped,
    events,
    labelled,
    throughput,
    logLoss: weighted(live, (r) => r.logLossTotal, byLabelled),
    logLossWindow: weighted(live, (r) => r.logLossWindow, (r) => r.windowCount),
    accuracy: weighted(live, (r) => r.accuracyTotal, byLabelled),
    brier: weighted(live, (r) => r.brierTotal, byLabelled),
    eceWindow: pooledEce(live),
    maxLagMs,
    modelVersionMin: mvMin,
    modelVersionMax: mvMax,
  };
}
