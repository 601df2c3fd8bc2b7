import type { Series } from './http/prometheus';
import { median } from './stats';

export interface Run {
  startMs: number;
  endMs: number;
  peak: number;
  /** The last sample is within two intervals of the period's end: still going on. */
  ongoing: boolean;
}

/**
 * Contiguous runs of a series' samples: a gap longer than 2.5 sample
 * intervals (the series' median spacing, or `stepMs` for a series with a
 * single point) ends a run. A run's last sample stands for one more
 * interval; runs are clipped to [startMs, endMs].
 */
export function runs(series: Series, opts: { startMs: number; endMs: number; stepMs: number }): Run[] {
  const pts = series.points.filter(([t]) => t >= opts.startMs && t <= opts.endMs);
  if (pts.length === 0) return [];
  const gaps = pts.slice(1).map((p, i) => p[0] - pts[i][0]);
  const interval = gaps.length > 0 ? median(gaps) : opts.stepMs;
  const out: Run[] = [];
  let start = 0;
  for (let i = 1; i <= pts.length; i++) {
    if (i === pts.length || pts[i][0] - pts[i - 1][0] > 2.5 * interval) {
      const slice = pts.slice(start, i);
      const last = slice[slice.length - 1][0];
      out.push({
        startMs: slice[0][0],
        endMs: Math.min(opts.endMs, last + interval),
        peak: Math.max(...slice.map((p) => p[1])),
        ongoing: last >= opts.endMs - 2 * interval,
      });
      start = i;
    }
  }
  return out;
}
