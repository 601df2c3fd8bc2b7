import type { Forecast } from './types';

/**
 * A forecast as seen at `nowMs`: refits run every few minutes, but a scrape
 * wants "1 h from now", not "1 h from the last fit". Each horizon takes the
 * path point nearest to now + horizon (the path runs one refit period past
 * the longest horizon for this), and times to exhaustion count from now; a
 * crossing already passed counts as 0, one beyond the longest horizon from
 * now is dropped (as it would be at a fresh fit).
 */
export function forecastAsOf(f: Forecast, nowMs: number, opts: { stepSeconds: number; horizonSeconds: Readonly<Record<string, number>>; longestSeconds: number }): Forecast {
  const ageS = Math.max(0, (nowMs - f.fittedAtMs) / 1000);
  if (f.path.length === 0) return f;
  const horizons: Forecast['horizons'] = {};
  const longest = opts.longestSeconds;
  for (const hz of Object.keys(f.horizons)) {
    const hs = opts.horizonSeconds[hz];
    if (hs === undefined) continue;
    const i = Math.round((ageS + hs) / opts.stepSeconds) - 1;
    horizons[hz] = f.path[Math.min(f.path.length - 1, Math.max(0, i))];
  }
  const aged = (s: number | null): number | null => (s === null ? null : Math.max(0, s - ageS));
  const exhaustion = f.exhaustion
    .map((e) => ({ ...e, seconds: aged(e.seconds), earliestSeconds: aged(e.earliestSeconds) }))
    .map((e) => ({ ...e, seconds: e.seconds !== null && e.seconds > longest ? null : e.seconds, earliestSeconds: e.earliestSeconds !== null && e.earliestSeconds > longest ? null : e.earliestSeconds }))
    .filter((e) => e.seconds !== null || e.earliestSeconds !== null);
  return { ...f, horizons, exhaustion };
}
