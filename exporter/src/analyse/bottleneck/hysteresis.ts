/** Band of one label: on at `on` after holding for `forMs`, off below `off` after holding for `clearMs`. */
export interface Band {
  on: number;
  off: number;
  forMs: number;
  clearMs: number;
}

interface LabelState {
  active: boolean;
  /** When the label became active (after the hold), or when severity first crossed `on`. */
  sinceMs: number;
  crossedMs: number | null;
  belowMs: number | null;
}

/**
 * Keeps labels from flapping: a label turns on once its severity has stayed
 * at or above `on` for `forMs`, and off once it has stayed below `off` for
 * `clearMs`. Between `off` and `on` nothing changes.
 */
export class Hysteresis {
  private readonly states = new Map<string, LabelState>();

  /** Feeds this tick's severity (0 when the rule did not fire); returns whether the label is active and since when. */
  update(key: string, severity: number, nowMs: number, band: Band): { active: boolean; sinceMs: number } {
    let s = this.states.get(key);
    if (!s) {
      if (severity < band.on) return { active: false, sinceMs: nowMs };
      s = { active: false, sinceMs: nowMs, crossedMs: null, belowMs: null };
      this.states.set(key, s);
    }
    if (!s.active) {
      if (severity >= band.on) {
        s.crossedMs ??= nowMs;
        if (nowMs - s.crossedMs >= band.forMs) {
          s.active = true;
          s.sinceMs = s.crossedMs;
          s.belowMs = null;
        }
      } else {
        this.states.delete(key);
        return { active: false, sinceMs: nowMs };
      }
    } else if (severity < band.off) {
      s.belowMs ??= nowMs;
      if (nowMs - s.belowMs >= band.clearMs) {
        this.states.delete(key);
        return { active: false, sinceMs: nowMs };
      }
    } else s.belowMs = null;
    return { active: s.active, sinceMs: s.sinceMs };
  }

  /** Forgets labels of groups that no longer exist. */
  retain(keep: (key: string) => boolean): void {
    for (const k of this.states.keys()) if (!keep(k)) this.states.delete(k);
  }

  toJSON(): Record<string, LabelState> {
    return Object.fromEntries(this.states);
  }

  restore(s: Record<string, LabelState>): void {
    for (const [k, v] of Object.entries(s)) this.states.set(k, v);
  }
}
