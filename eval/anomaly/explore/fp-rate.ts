/**
 * Alerts per series-day of the shipped detector on benign synthetic series
 * (steady AR(1) noise, the same with rare spikes, a daily wave; 15 s and 60 s
 * steps; 6 seeds each; 7 days): `npx tsx eval/anomaly/explore/fp-rate.ts
 * ['{"option": value}' …]`. SHOW=1 prints each alert and its components.
 */
import { StreamDetector } from '../../../exporter/src/analyse/anomaly/stream';
import { rng, gauss } from '../../../test/helpers/random';

const T0 = Date.UTC(2026, 0, 5);
const H = 3_600_000;

for (const arg of process.argv.length > 2 ? process.argv.slice(2) : ['{}']) {
  const opts = JSON.parse(arg) as Record<string, unknown>;
  const byDay = new Array<number>(7).fill(0);
  let n = 0;
  for (const st of [15, 60])
    for (const kind of ['ar', 'spiky', 'daily'])
      for (let seed = 1; seed <= 6; seed++) {
        const d = new StreamDetector(opts);
        const r = rng(seed * 31 + st);
        let ar = 0;
        n++;
        for (let t = T0; t < T0 + 7 * 24 * H; t += st * 1000) {
          ar = 0.95 * ar + 0.1 * gauss(r);
          const h = (t / H) % 24;
          let v = 0.2 + 0.05 * ar + 0.01 * gauss(r);
          if (kind === 'spiky') v += r() < 0.01 ? 0.2 * r() : 0;
          if (kind === 'daily') v += 0.3 * Math.sin((2 * Math.PI * h) / 24) ** 2;
          d.update(t, Math.max(0, v));
          if (d.alertStarted) {
            byDay[Math.floor((t - T0) / (24 * H))]++;
            if (process.env.SHOW) console.log(st, kind, seed, ((t - T0) / H).toFixed(1), JSON.stringify(d.components));
          }
        }
      }
  console.log(`${arg}: alerts per series-day, days 1..7: ${byDay.map((x) => (x / n).toFixed(2)).join(' ')}`);
}
