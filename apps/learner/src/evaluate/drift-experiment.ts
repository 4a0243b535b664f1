import {
  ConceptDrift,
  HyperplaneGenerator,
  OnlineLearner,
  SeaGenerator,
  type MetricsReport,
  type Score,
  type StreamGenerator,
} from '@logit-stream/core';
import type { DriftSetup, DriftStream } from './definitions.js';
import { EvaluationError } from './evaluation-error.js';
import { fillDenseEvent } from './fill-dense-event.js';
import { scoreDetections, type DetectionScore } from './score-detections.js';
import { summarize, type Summary } from './summarize.js';

/** Seed offset of the second hyperplane of the abrupt redraw. */
export const REDRAW_SEED_OFFSET = 500_000;

/** How often (events) the harness reads the learner's drift report; a detector fires at most once per event. */
const POLL_EVERY = 200;

/** The two error streams a detector watches. */
export type WatchedModel = 'live' | 'reference';

/** One (stream, seed, detector, model) run. */
export interface DriftRun {
  readonly stream: string;
  readonly seed: number;
  readonly detector: string;
  readonly model: WatchedModel;
  /** Positions (0-based event index) of every detection. */
  readonly detections: number[];
  readonly score: DetectionScore;
  readonly events: number;
  /** Prequential accuracy of the live model over the stream. */
  readonly accuracy: number;
}

/** Per stream, detector and model: delays pooled over seeds and changes, misses, false alarms. */
export interface DriftSummaryRow {
  readonly stream: string;
  readonly detector: string;
  readonly model: WatchedModel;
  /** Delays of the detected changes (pooled over seeds and change points). */
  readonly delay: Summary;
  readonly detected: number;
  readonly changes: number;
  readonly missed: number;
  /** False alarms per 100 000 stationary events, mean ± sd over seeds. */
  readonly falseAlarmsPer100k: Summary;
  /** All detections per 100 000 events, mean ± sd over seeds (the rate on a continuously drifting stream). */
  readonly detectionsPer100k: Summary;
  readonly accuracy: Summary;
}

/** Results of the drift experiment. */
export interface DriftResults {
  readonly runs: DriftRun[];
  readonly summary: DriftSummaryRow[];
}

/** Builds the seeded generator of a stream; SEA concept switches are applied by the caller. */
function makeStream(s: DriftStream, seed: number): { gen: StreamGenerator; sea: SeaGenerator | null } {
  switch (s.kind) {
    case 'sea': {
      const sea = new SeaGenerator({ concept: 1, noise: 0.1, seed });
      return { gen: sea, sea };
    }
    case 'hyperplane-redraw':
      return {
        gen: new ConceptDrift({
          before: new HyperplaneGenerator({ seed }),
          after: new HyperplaneGenerator({ seed: seed + REDRAW_SEED_OFFSET }),
          position: s.changes[0],
        }),
        sea: null,
      };
    case 'hyperplane-rotating':
      return { gen: new HyperplaneGenerator({ magnitude: 0.001, seed }), sea: null };
    case 'hyperplane-stationary':
      return { gen: new HyperplaneGenerator({ seed }), sea: null };
  }
}

/** Collects the detections since the last poll for one key, checking none were lost. */
class DetectionLog {
  readonly positions: number[] = [];
  private count = 0;

  constructor(private readonly key: string) {}

  poll(report: MetricsReport): void {
    const d = report.drift.detectors[this.key];
    if (d === undefined) {
      throw new EvaluationError(`the learner's drift report has no detector ${this.key}: check drift.detectors`);
    }
    const fresh = d.detections - this.count;
    if (fresh === 0) return;
    const last = this.positions.length > 0 ? this.positions[this.positions.length - 1] : -1;
    const seen = report.drift.recent.filter((e) => e.key === this.key && e.position > last).map((e) => e.position);
    if (seen.length !== fresh) {
      throw new EvaluationError(
        `${this.key}: ${fresh} new detections but ${seen.length} in drift.recent; poll the report more often`,
      );
    }
    this.positions.push(...seen);
    this.count = d.detections;
  }
}

/**
 * Table 3: for each stream, seed and detector, one {@link OnlineLearner} with only that detector
 * (so a detection by another detector never refreshes its reference model) learns the stream
 * prequentially; the detections on the live model's and on the frozen reference model's 0/1 error
 * are read from its drift report and scored against the known change points ({@link scoreDetections}).
 *
 * @param setup - the experiment definition
 * @param log - progress lines
 * @example
 * const r = runDriftExperiment(evaluationSetup(true).drift, () => {});
 */
export function runDriftExperiment(setup: DriftSetup, log: (line: string) => void): DriftResults {
  const runs: DriftRun[] = [];
  for (const s of setup.streams) {
    for (const seed of setup.seeds) {
      for (const det of setup.detectors) {
        const { gen, sea } = makeStream(s, seed);
        const learner = new OnlineLearner(
          { ...setup.common, features: { kind: 'dense', dim: gen.dim }, drift: { detectors: [det] } },
          `evaluate-drift-${det}`,
        );
        const ev = learner.newEvent();
        const out: Score = learner.newScore();
        const x = new Float64Array(gen.dim);
        const logs = { live: new DetectionLog(`${det}/live`), reference: new DetectionLog(`${det}/reference`) };
        let nextChange = 0;
        for (let t = 0; t < s.events; t++) {
          if (sea !== null && nextChange < s.changes.length && t === s.changes[nextChange]) {
            nextChange++;
            sea.setConcept(nextChange + 1);
          }
          const y = gen.nextInto(x);
          fillDenseEvent(ev, x, 0, gen.dim, y, false, null);
          learner.process(ev, out);
          if ((t + 1) % POLL_EVERY === 0) {
            const rep = learner.report(0);
            logs.live.poll(rep);
            logs.reference.poll(rep);
          }
        }
        const rep = learner.report(0);
        logs.live.poll(rep);
        logs.reference.poll(rep);
        const accuracy = rep.total.accuracy ?? NaN;
        for (const model of ['live', 'reference'] as const) {
          const positions = logs[model].positions;
          runs.push({
            stream: s.name,
            seed,
            detector: det,
            model,
            detections: positions,
            score: scoreDetections(positions, s.changes, s.events, setup.tolerance),
            events: s.events,
            accuracy,
          });
        }
      }
      log(`drift: ${s.name} seed ${seed} done`);
    }
  }
  const summary: DriftSummaryRow[] = [];
  for (const s of setup.streams) {
    for (const det of setup.detectors) {
      for (const model of ['live', 'reference'] as const) {
        const rs = runs.filter((r) => r.stream === s.name && r.detector === det && r.model === model);
        if (rs.length === 0) continue;
        const delays: number[] = [];
        for (const r of rs) for (const d of r.score.delays) if (d !== null) delays.push(d);
        const missed = rs.reduce((a, r) => a + r.score.missed, 0);
        summary.push({
          stream: s.name,
          detector: det,
          model,
          delay: summarize(delays),
          detected: delays.length,
          changes: rs.length * s.changes.length,
          missed,
          falseAlarmsPer100k: summarize(rs.map((r) => r.score.falseAlarmsPer100k)),
          detectionsPer100k: summarize(rs.map((r) => (r.detections.length / r.events) * 1e5)),
          accuracy: summarize(rs.map((r) => r.accuracy)),
        });
      }
    }
  }
  return { runs, summary };
}
