import { forecastAsOf } from '../../../../exporter/src/analyse/forecast/as-of';
import type { Forecast } from '../../../../exporter/src/analyse/forecast/types';

/** Scrapes between refits: horizons and times to exhaustion count from now, not from the fit. */
describe('forecastAsOf', () => {
  const fittedAtMs = Date.UTC(2026, 10, 23);
  // 60 s steps, 20 past the 15m horizon (a 1200 s refit period); the mean is the step number.
  const path = Array.from({ length: 35 }, (_, i) => ({ timestampMs: fittedAtMs + (i + 1) * 60_000, mean: i + 1, lower: i, upper: i + 2 }));
  const f: Forecast = {
    group: 'g',
    resource: 'memory',
    model: 'synthetic',
    fittedAtMs,
    level: 0.8,
    horizons: { '15m': path[14] },
    path,
    exhaustion: [
      { limit: 'threshold', limitValue: 12, seconds: 720, earliestSeconds: 300 },
      { limit: 'host_memory', limitValue: 15, seconds: 900, earliestSeconds: null },
    ],
    accuracy: {},
  };
  const opts = { stepSeconds: 60, horizonSeconds: { '15m': 900 }, longestSeconds: 900 };

  it('serves the fit itself at the fit time', () => {
    const fresh = forecastAsOf(f, fittedAtMs, opts);
    expect(fresh.horizons['15m']).toBe(path[14]);
    expect(fresh.exhaustion).toEqual(f.exhaustion);
  });

  it('takes the point at now + horizon and counts exhaustion from now ten minutes later', () => {
    const later = forecastAsOf(f, fittedAtMs + 600_000, opts);
    expect(later.horizons['15m']).toBe(path[24]);
    expect(later.horizons['15m'].timestampMs).toBe(fittedAtMs + 600_000 + 900_000);
    // The pessimistic crossing has passed (0); the mean's is 120 s away; the other limit's 300 s.
    expect(later.exhaustion).toEqual([
      { limit: 'threshold', limitValue: 12, seconds: 120, earliestSeconds: 0 },
      { limit: 'host_memory', limitValue: 15, seconds: 300, earliestSeconds: null },
    ]);
    expect(later.fittedAtMs).toBe(fittedAtMs);
  });

  it('clamps to the end of the path when the next refit is late', () => {
    expect(forecastAsOf(f, fittedAtMs + 3_600_000, opts).horizons['15m']).toBe(path[34]);
  });
});
