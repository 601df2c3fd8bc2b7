import { type Json, bool, numOrNaN, obj, nanToNull } from './checkpoint';

export interface GateOptions {
  /** Score at or above which an alert starts. */
  threshold: number;
  /** Time the score must stay below `threshold · rearmFraction` before a new alert can start. */
  quietMs: number;
  rearmFraction: number;
}

/**
 * One alert per anomaly: an alert starts when the score reaches the
 * threshold while armed; the gate re-arms once the score has stayed below a
 * fraction of the threshold for a quiet time. The evaluation replays this
 * class over a detector's scores, so what it counts is what an operator sees.
 */
export class AlertGate {
  private armed = true;
  private quietSince = NaN;

  constructor(readonly o: GateOptions) {}

  /** Feeds a score at time t; true when an alert starts here. */
  update(t: number, score: number): boolean {
    if (!this.armed) {
      if (score < this.o.threshold * this.o.rearmFraction) {
        if (!Number.isFinite(this.quietSince)) this.quietSince = t;
        if (t - this.quietSince >= this.o.quietMs) this.armed = true;
      } else this.quietSince = NaN;
    }
    if (this.armed && score >= this.o.threshold) {
      this.armed = false;
      this.quietSince = NaN;
      return true;
    }
    return false;
  }

  /** Whether an alert is in progress (started and not yet re-armed). */
  get active(): boolean {
    return !this.armed;
  }

  toJSON(): Json {
    return { armed: this.armed, quietSince: nanToNull(this.quietSince) };
  }

  static fromJSON(v: unknown, path: string, o: GateOptions): AlertGate {
    const j = obj(v, path);
    const g = new AlertGate(o);
    g.armed = bool(j, 'armed', path);
    g.quietSince = numOrNaN(j, 'quietSince', path);
    return g;
  }
}

export const ALERT_GATE_BYTES = 2 * 8;
