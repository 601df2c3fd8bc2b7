/**
 * NAB evaluation (not a test): procsight's univariate detector, a plain
 * z-score baseline and the published Numenta HTM outputs, scored side by side
 * by eval/nab/scorer.ts on shared/data/nab; thresholds optimised per detector
 * and profile over the subset (as NAB does over its corpus). Rewrites the NAB
 * section of docs/evaluation.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { annotate, bestThreshold, corpusScore, PROFILES, type Corpus } from './scorer';
import { loadNab, loadPerFileScores, loadReference } from './data';
import { procsightScores, zScoreScores } from './detectors';

export function evaluate(): Array<{ detector: string; profile: string; threshold: number; raw: number; normalized: number }> {
  const files = loadNab();
  const ref = loadPerFileScores();
  const corpora: Record<string, Corpus> = {
    procsight: { files: files.map((f) => ({ name: f.name, points: annotate(f.timestamps, procsightScores(f.timestamps, f.values), f.windows), windows: f.windows.length })) },
    'z-score': { files: files.map((f) => ({ name: f.name, points: annotate(f.timestamps, zScoreScores(f.values), f.windows), windows: f.windows.length })) },
    'numenta HTM (published outputs)': {
      files: files.map((f) => {
        const r = loadReference('numenta', f.name);
        return { name: f.name, points: annotate(r.timestamps, r.scores, f.windows), windows: f.windows.length };
      }),
    },
  };
  const out = [];
  for (const [detector, corpus] of Object.entries(corpora)) {
    for (const [profile, cost] of Object.entries(PROFILES)) {
      if (detector.startsWith('numenta')) {
        // NAB's own threshold for HTM (tuned on the whole corpus).
        const t = ref.get(`numenta|${profile}|threshold`)!;
        out.push({ detector, profile, threshold: t, ...corpusScore(corpus, t, cost) });
      } else out.push({ detector, profile, ...bestThreshold(corpus, cost) });
    }
  }
  return out;
}

if (require.main === module) {
  const rows = evaluate();
  const table = [
    '| detector | profile | threshold | raw score | normalised score |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.detector} | ${r.profile} | ${r.threshold.toFixed(3)} | ${r.raw.toFixed(2)} | ${r.normalized.toFixed(1)} |`),
  ].join('\n');
  console.log(table);
  const path = join(__dirname, '..', '..', 'docs', 'evaluation.md');
  const doc = readFileSync(path, 'utf8');
  const section = `<!-- nab:start -->\n\`npx tsx eval/nab/run.ts\` on ${new Date().toISOString().slice(0, 10)}: the 17 AWS CloudWatch files of \`shared/data/nab\` (30 labelled windows), scored by procsight's NAB scorer (\`eval/nab/scorer.ts\`). procsight's detector is the exporter's univariate scorer (\`RobustScorer\`: median/MAD baseline of the previous day, time-of-day profile after 3 days, calibrated to [0, 1]) fed each series as a stream; the z-score baseline uses the previous day's mean and standard deviation through the same calibration. Thresholds of both are optimised over this subset per profile; Numenta HTM is scored from its published outputs at NAB's own threshold.\n\n${table}\n\nThe scorer reproduces NAB's per-file scores within 0.04 (the false-positive and missed-window terms exactly; true-positive credits come out about 3 % lower than NAB's, a difference in how the position inside a window is measured that this scorer does not yet explain), so HTM scores ${rows.find((r) => r.detector.startsWith('numenta') && r.profile === 'standard')!.normalized.toFixed(1)} here against ≈ 73 from NAB's own per-file results.\n<!-- nab:end -->`;
  writeFileSync(path, doc.replace(/<!-- nab:start -->[\s\S]*<!-- nab:end -->/, section));
  console.log(`wrote ${path}`);
}
