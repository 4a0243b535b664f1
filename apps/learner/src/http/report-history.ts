import type { DriftEventReport } from '@logit-stream/core';
import type { PublishedMetrics } from '../pipeline/batch-processor.js';

/** The time series of the live page, column-wise (uPlot's data layout); null = undefined at that point. */
export interface HistorySeries {
  /** Events seen at each report (the x axis). */
  readonly events: number[];
  /** Report time, epoch ms. */
  readonly ts: number[];
  readonly logLossWindow: (number | null)[];
  readonly logLossTotal: (number | null)[];
  readonly eceWindow: (number | null)[];
  readonly eceTotal: (number | null)[];
  readonly throughput: (number | null)[];
  /** Event lag (ms) of each report. */
  readonly lagMs: (number | null)[];
  /** Total consumer lag (messages) when the report was recorded; null without Kafka. */
  readonly consumerLag: (number | null)[];
}

/**
 * The last `capacity` published metrics reports, reduced to the series the live page draws, plus
 * every drift detection seen (deduplicated by detector and position; a report lists only the last
 * 50). Fed once per new report (by identity), not per event; when full the oldest point goes.
 *
 * @example
 * const h = new ReportHistory(600);
 * h.record(processor.lastReport, lag.total());
 * h.series().logLossWindow.at(-1)
 */
export class ReportHistory {
  private last: PublishedMetrics | null = null;
  private readonly s: HistorySeries = {
    events: [],
    ts: [],
    logLossWindow: [],
    logLossTotal: [],
    eceWindow: [],
    eceTotal: [],
    throughput: [],
    lagMs: [],
    consumerLag: [],
  };
  private readonly detections = new Map<string, DriftEventReport>();

  constructor(readonly capacity = 600, readonly maxDetections = 500) {}

  /** Adds `report` unless it is the one recorded last (or null). */
  record(report: PublishedMetrics | null, consumerLag: number | null): void {
    if (report === null || report === this.last) return;
    this.last = report;
    const s = this.s;
    if (s.events.length > 0 && report.events.seen < s.events[s.events.length - 1]) return; // x must not go back
    s.events.push(report.events.seen);
    s.ts.push(report.ts);
    s.logLossWindow.push(report.window.logLoss);
    s.logLossTotal.push(report.total.logLoss);
    s.eceWindow.push(report.window.ece);
    s.eceTotal.push(report.total.ece);
    s.throughput.push(report.throughput);
    s.lagMs.push(report.lagMs);
    s.consumerLag.push(consumerLag);
    if (s.events.length > this.capacity) for (const col of Object.values(s)) (col as unknown[]).shift();
    for (const d of report.drift.recent) {
      const k = `${d.key}@${d.position}`;
      if (!this.detections.has(k)) this.detections.set(k, d);
    }
    while (this.detections.size > this.maxDetections) this.detections.delete(this.detections.keys().next().value as string);
  }

  /** The recorded series (live arrays: serialise, do not keep). */
  series(): HistorySeries {
    return this.s;
  }

  /** Drift detections seen, oldest first. */
  driftEvents(): DriftEventReport[] {
    return [...this.detections.values()].sort((a, b) => a.position - b.position);
  }
}
