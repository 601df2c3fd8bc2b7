/**
 * How soon the shipped detector flags a step of CPU (0.2 → 0.5 or 1.5
 * cores, noise ±0.01) after 1, 2, 3 or 6 hours of history at 15 s:
 * `npx tsx eval/anomaly/explore/young-step.ts`. A young series' likelihood
 * has little history of its own noise; the range rule joins at 6 hours.
 */
import { StreamDetector } from '../../../exporter/src/analyse/anomaly/stream';

let seed = 5;
const noise = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) * 0.02;
for (const hours of [1, 2, 3, 6])
  for (const to of [0.5, 1.5]) {
    const d = new StreamDetector({ minScale: 0.02, bounds: { min: 0, max: 4 } });
    const t0 = Date.UTC(2026, 0, 5, 8);
    let t = t0;
    for (; t < t0 + hours * 3_600_000; t += 15_000) d.update(t, 0.2 + noise());
    const start = t;
    let at = NaN;
    let max = 0;
    for (; t < start + 3_600_000; t += 15_000) {
      const s = d.update(t, to + noise()) ?? 0;
      max = Math.max(max, s);
      if (Number.isNaN(at) && s >= 0.6) at = (t - start) / 60_000;
    }
    console.log(
      `${hours} h of history, step to ${to} cores: ${Number.isNaN(at) ? 'not flagged within an hour' : `flagged after ${at} min`} (highest score ${max.toFixed(2)})`,
    );
  }
