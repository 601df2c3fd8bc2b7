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
  /** The components of the cell a row closed (NaN elsewhere): for ablations. */
  level: Float64Array;
  seasonal: Float64Array;
  range: Float64Array;
  z: Float64Array;
}

export function runStream(timestamps: readonly number[], values: readonly number[], options: Partial<StreamDetectorOptions> = {}): StreamRun {
  const d = new StreamDetector(options);
  const n = values.length;
  const nan = (): Float64Array => new Float64Array(n).fill(NaN);
  const run: StreamRun = { scores: new Float64Array(n), cellT: nan(), alerts: new Uint8Array(n), level: nan(), seasonal: nan(), range: nan(), z: nan() };
  let lastCell = NaN;
  for (let i = 0; i < n; i++) {
    const s = d.update(timestamps[i], values[i]);
    run.scores[i] = s ?? NaN;
    if (d.lastCellMs !== lastCell && !Number.isNaN(d.lastCellMs)) {
      run.cellT[i] = lastCell = d.lastCellMs;
      if (s !== null) {
        const c = d.components;
        run.level[i] = c.level;
        run.seasonal[i] = c.seasonal;
        run.range[i] = c.range;
        run.z[i] = c.z;
      }
    }
    if (d.alertStarted) run.alerts[i] = 1;
  }
  return run;
}

/**
 * The rows where an alert starts at another threshold (or re-arm setting, or
 * over other per-cell scores, for ablations):
 * the detector's own gate class replayed over its scores at the cells, so a
 * threshold sweep needs one pass of the detector, not one per threshold.
 * Returns 1 on alert rows, 0 elsewhere.
 */
export function replayAlerts(run: StreamRun, gate: GateOptions, scores: Float64Array = run.scores): Float64Array {
  const g = new AlertGate(gate);
  const out = new Float64Array(scores.length);
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(run.cellT[i]) || Number.isNaN(scores[i])) continue;
    if (g.update(run.cellT[i], scores[i])) out[i] = 1;
  }
  return out;
}

/**
 * Replays a series at a finer step than its own (each value repeated every
 * `stepSeconds` until the next row, for at most `holdMs`; longer gaps stay
 * gaps), as an exporter sampling the same process more often would feed it;
 * returns 1 on the original rows during which the detector started an alert.
 */
export function runStreamResampled(timestamps: readonly number[], values: readonly number[], stepSeconds: number, holdMs = 300_000): Float64Array {
  const d = new StreamDetector();
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const end = Math.min(i + 1 < values.length ? timestamps[i + 1] : Infinity, timestamps[i] + holdMs);
    for (let t = timestamps[i]; t < end; t += stepSeconds * 1000) {
      d.update(t, values[i]);
      if (d.alertStarted) out[i] = 1;
    }
  }
  return out;
}
