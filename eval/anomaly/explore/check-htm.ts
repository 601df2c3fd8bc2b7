import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultNabDir, loadCorpus, parseSeriesCsv, PROFILE_NAMES } from '../data';
import { scoreSeries, tallyFile } from '../score';
import { PROFILES } from '../../nab/scorer';
const dir = defaultNabDir();
const corpus = loadCorpus(dir);
const ref = new Map<string, number>();
const thr = new Map<string, number>();
for (const r of readFileSync(join(dir, 'results/per_file_scores.csv'), 'utf8').trim().split('\n').slice(1)) {
  const [d, p, f, t, s] = r.split(',');
  ref.set(`${d}|${p}|${f}`, Number(s));
  thr.set(`${d}|${p}`, Number(t));
}
for (const det of ['numenta']) {
  let maxErr = 0,
    n = 0;
  for (const s of corpus) {
    const file = s.key.split('/')[1];
    let text: string;
    try {
      text = readFileSync(join(dir, 'results', det, `${det}_${file}`), 'utf8');
    } catch {
      continue;
    }
    const lines = text.trim().split('\n');
    const col = lines[0].split(',').indexOf('anomaly_score');
    const ts = parseSeriesCsv(text).timestamps;
    const sc = lines.slice(1).map((l) => Number(l.split(',')[col]));
    for (const p of PROFILE_NAMES) {
      const f = scoreSeries(s, sc, 0, ts);
      const got = tallyFile(f, thr.get(`${det}|${p}`)!, PROFILES[p]).raw;
      maxErr = Math.max(maxErr, Math.abs(got - ref.get(`${det}|${p}|${s.key}`)!));
      n++;
    }
  }
  console.log(det, 'compared', n, 'max abs err', maxErr);
}

// NAB's windowed Gaussian replayed by eval/anomaly/baselines.ts against its published per-file scores (all files, three profiles).
{
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { windowedGaussianScores, GAUSSIAN_THRESHOLD } = require('../baselines') as typeof import('../baselines');
  let maxErr = 0;
  let n = 0;
  for (const s of corpus) {
    const f = scoreSeries(s, windowedGaussianScores(s.values), GAUSSIAN_THRESHOLD);
    for (const p of PROFILE_NAMES) {
      maxErr = Math.max(maxErr, Math.abs(tallyFile(f, GAUSSIAN_THRESHOLD, PROFILES[p]).raw - ref.get(`windowedGaussian|${p}|${s.key}`)!));
      n++;
    }
  }
  console.log('windowedGaussian replay compared', n, 'max abs err', maxErr);
}
