import { EvaluationError } from './evaluation-error.js';

/** How a detector did against known change points. */
export interface DetectionScore {
  /** Per change point: events from the change to the first detection at or after it, or null when missed. */
  readonly delays: readonly (number | null)[];
  /** Change points with no detection within `tolerance` events (nor before the next change). */
  readonly missed: number;
  /** Detections outside every acceptance window (before a change, or more than `tolerance` after it). */
  readonly falseAlarms: number;
  /** Further detections inside an acceptance window after its first one (re-detections while adapting). */
  readonly repeats: number;
  /** Events outside every acceptance window: the stationary stretch false alarms are counted over. */
  readonly stationaryEvents: number;
  /** `falseAlarms` per 100 000 stationary events (NaN when there are none). */
  readonly falseAlarmsPer100k: number;
}

/**
 * Scores detections against known change points. Change k opens an acceptance window
 * [c_k, min(c_k + tolerance, c_{k+1}, nEvents)); its first detection in that window gives the delay
 * d − c_k (0 = detected on the first event of the new concept), later ones there are repeats, and a
 * change with no detection in its window is missed. Every other detection is a false alarm, and the
 * rate is per 100 000 events outside the windows. With no change points (a stationary stream) every
 * detection is a false alarm.
 *
 * @param detections - event positions (0-based, increasing) at which the detector fired
 * @param changes - event positions of the first event of each new concept, increasing
 * @param nEvents - stream length
 * @param tolerance - longest delay still counted as a detection of the change (> 0)
 * @example
 * scoreDetections([100, 5200, 5300, 9000], [5000], 10000, 2000)
 * // { delays: [200], missed: 0, falseAlarms: 2, repeats: 1, stationaryEvents: 8000, falseAlarmsPer100k: 25 }
 */
export function scoreDetections(
  detections: readonly number[],
  changes: readonly number[],
  nEvents: number,
  tolerance: number,
): DetectionScore {
  if (!(tolerance > 0)) throw new EvaluationError(`detection tolerance ${tolerance} must be > 0 events`);
  for (let k = 1; k < changes.length; k++) {
    if (!(changes[k] > changes[k - 1])) throw new EvaluationError(`change points must increase: ${changes.join(', ')}`);
  }
  const ends = changes.map((c, k) => Math.min(c + tolerance, k + 1 < changes.length ? changes[k + 1] : nEvents, nEvents));
  const delays: (number | null)[] = changes.map(() => null);
  let falseAlarms = 0;
  let repeats = 0;
  for (const d of detections) {
    let k = -1;
    for (let j = 0; j < changes.length; j++) {
      if (d >= changes[j] && d < ends[j]) {
        k = j;
        break;
      }
    }
    if (k < 0) falseAlarms++;
    else if (delays[k] === null) delays[k] = d - changes[k];
    else repeats++;
  }
  let windowed = 0;
  for (let j = 0; j < changes.length; j++) windowed += Math.max(0, ends[j] - changes[j]);
  const stationaryEvents = nEvents - windowed;
  return {
    delays,
    missed: delays.filter((d) => d === null).length,
    falseAlarms,
    repeats,
    stationaryEvents,
    falseAlarmsPer100k: stationaryEvents > 0 ? (falseAlarms / stationaryEvents) * 1e5 : NaN,
  };
}
