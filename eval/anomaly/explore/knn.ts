// Exploration: a kNN "shape novelty" channel (KNN-CAD-like) as a third likelihood, added to the shipped score.
// Per point (NAB native: one cell per point): window = last L values; distance to the nearest past window
// (non-overlapping, from the last H points) in units of the robust σ; raw = calibrate(d / sqrt(L)); likelihood as the detector's.
import { corpus, CATS } from './harness';
import { runStream, replayAlerts } from '../detectors';
import { scoreSeries, normalised } from '../score';
import { crossValidate } from '../crossval';
import { PROFILES } from '../../nab/scorer';
import { calibrate } from '../../../exporter/src/analyse/anomaly/stream/math';
import { Likelihood } from '../../../exporter/src/analyse/anomaly/stream/likelihood';

function knnChannel(ts: readonly number[], vs: readonly number[], L: number, H: number, shape: boolean): Float64Array {
  const out = new Float64Array(vs.length);
  const lik = new Likelihood(50 * 60000, 30 * 86400000);
  for (let i = 0; i < vs.length; i++) {
    if (i < L + 2 * L + 24) continue;
    // robust scale from the last 144 points
    const base = vs
      .slice(Math.max(0, i - 144), i)
      .slice()
      .sort((a, b) => a - b);
    const med = base[base.length >> 1];
    const mad = base.map((x) => Math.abs(x - med)).sort((a, b) => a - b)[base.length >> 1];
    let lo = Infinity,
      hi = -Infinity;
    for (let k = Math.max(0, i - 8640); k < i; k++) {
      lo = Math.min(lo, vs[k]);
      hi = Math.max(hi, vs[k]);
    }
    const sc = Math.max(1.4826 * mad, 0.01 * (hi - lo), 1e-9);
    const cur = vs.slice(i - L + 1, i + 1);
    const cm = shape ? cur.reduce((a, b) => a + b, 0) / L : 0;
    let best = Infinity;
    for (let j = Math.max(L - 1, i - H); j <= i - L; j++) {
      let pm = 0;
      if (shape) {
        for (let k = 0; k < L; k++) pm += vs[j - L + 1 + k];
        pm /= L;
      }
      let d = 0;
      for (let k = 0; k < L; k++) {
        const e = cur[k] - cm - (vs[j - L + 1 + k] - pm);
        d += e * e;
        if (d >= best) break;
      }
      if (d < best) best = d;
    }
    const z = Math.sqrt(best / L) / sc;
    out[i] = lik.update(calibrate(z), i ? ts[i] - ts[i - 1] : 0, 300000);
  }
  return out;
}
const runs = corpus.map((s) => runStream(s.timestamps, s.values));
for (const [L, H, shape] of [
  [8, 2016, false],
  [8, 2016, true],
  [4, 2016, false],
  [12, 4032, true],
] as Array<[number, number, boolean]>) {
  const t0 = Date.now();
  const knn = corpus.map((s) => knnChannel(s.timestamps, s.values, L, H, shape));
  const cands = [0.5, 0.6, 0.7, 0.8].flatMap((thr) => [
    {
      name: `max t${thr}`,
      threshold: 0.5,
      files: corpus.map((s, i) =>
        scoreSeries(
          s,
          replayAlerts(
            runs[i],
            { threshold: thr, quietMs: 30 * 60000, rearmFraction: 0.5 },
            runs[i].scores.map((x, k) => (Number.isNaN(x) ? NaN : Math.max(x, knn[i][k]))),
          ),
          0.5,
        ),
      ),
    },
  ]);
  const alone = [0.5, 0.6, 0.7, 0.8].map((thr) => ({
    name: `alone t${thr}`,
    threshold: 0.5,
    files: corpus.map((s, i) =>
      scoreSeries(
        s,
        replayAlerts(
          runs[i],
          { threshold: thr, quietMs: 30 * 60000, rearmFraction: 0.5 },
          runs[i].scores.map((x, k) => (Number.isNaN(x) ? NaN : knn[i][k])),
        ),
        0.5,
      ),
    ),
  }));
  for (const [nm, c] of [
    ['with', cands],
    ['alone', alone],
  ] as const) {
    const r = crossValidate(c, PROFILES.standard);
    console.log(
      `L${L} H${H} shape=${shape} ${nm}: in ${normalised(r.inSample.tallies.get('all')!).toFixed(1)} out ${normalised(r.outOfSample.tallies.get('all')!).toFixed(1)} [${r.inSample.candidate}] ` +
        CATS.map((k) => `${k.slice(4, 10)} ${normalised(r.outOfSample.tallies.get(k)!).toFixed(1)}`).join(' '),
      ((Date.now() - t0) / 1000).toFixed(0) + 's',
    );
  }
}
