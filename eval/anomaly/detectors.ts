/**
 * Replays a series through procsight's shipped streaming detector
 * (exporter/src/analyse/anomaly/stream) and through the baselines, giving
 * per-row scores for the NAB scorer. Nothing here looks ahead: row i's
 * output depends on rows 0..i only.
 */
import { AlertGate, StreamDetector, type GateOptions, type StreamDetectorOptions } from '../../exporter/src/analyse/anomaly/stream';

export interface StreamRun {
  /** The detector's score after each row (NaN while learning). */
  scores: Float64Array;
  /** The time of the cell a row closed (NaN when the row closed none): where the detector's alert gate is fed. */
  cellT: Float64Array;
  /** 1 on the rows where the detector itself started an alert. */
  alerts: Uint8Array;
}

export function runStream(timestamps: readonly number[], values: readonly number[], options: Partial<StreamDetectorOptions> = {}): StreamRun {
  const d = new StreamDetector(options);
  const n = values.length;
  const run: StreamRun = { scores: new Float64Array(n), cellT: new Float64Array(n).fill(NaN), alerts: new Uint8Array(n) };
  let lastCell = NaN;
  for (let i = 0; i < n; i++) {
    const s = d.update(timestamps[i], values[i]);
    run.scores[i] = s ?? NaN;
    if (d.lastCellMs !== lastCell && !Number.isNaN(d.lastCellMs)) run.cellT[i] = lastCell = d.lastCellMs;
    if (d.alertStarted) run.alerts[i] = 1;
  }
  return run;
}

/**
 * The rows where an alert starts at another threshold (or re-arm setting):
 * the detector's own gate class replayed over its scores at the cells, so a
 * threshold sweep needs one pass of the detector, not one per threshold.
 * Returns 1 on alert rows, 0 elsewhere.
 */
export function replayAlerts(run: StreamRun, gate: GateOptions): Float64Array {
  const g = new AlertGate(gate);
  const out = new Float64Array(run.scores.length);
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(run.cellT[i]) || Number.isNaN(run.scores[i])) continue;
    if (g.update(run.cellT[i], run.scores[i])) out[i] = 1;
  }
  return out;
}
