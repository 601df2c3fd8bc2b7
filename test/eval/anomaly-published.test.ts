import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultNabDir, loadCorpus, parseSeriesCsv, PROFILE_NAMES } from '../../eval/anomaly/data';
import { loadPublished, publishedTallies } from '../../eval/anomaly/published';
import { scoreSeries, tallyFile } from '../../eval/anomaly/score';
import { PROFILES } from '../../eval/nab/scorer';

/**
 * The figures docs/evaluation.md sets procsight beside: NAB's
 * published per-file scores, which the project's scorer must reproduce from
 * HTM's published outputs on every file of the development corpus.
 */
const DIR = defaultNabDir();
const have = existsSync(join(DIR, 'results', 'per_file_scores.csv'));

(have ? describe : describe.skip)('published NAB scores on the development corpus', () => {
  const corpus = loadCorpus(DIR);
  const rows = loadPublished(DIR);

  it("reproduces NAB's per-file scores of Numenta HTM from its outputs on all 51 files and three profiles", () => {
    let compared = 0;
    for (const s of corpus) {
      const text = readFileSync(join(DIR, 'results', 'numenta', `numenta_${s.key.split('/')[1]}`), 'utf8');
      const scores = text
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => Number(l.split(',')[2]));
      const scored = scoreSeries(s, scores, 0, parseSeriesCsv(text).timestamps);
      for (const p of PROFILE_NAMES) {
        const ref = rows.find((r) => r.detector === 'numenta' && r.profile === p && r.file === s.key)!;
        expect(Math.abs(tallyFile(scored, ref.threshold, PROFILES[p]).raw - ref.score)).toBeLessThan(1e-9);
        compared++;
      }
    }
    expect(compared).toBe(153);
  });

  it('normalises a published detector over the corpus as NAB does (HTM ≈ 73 on the standard profile)', () => {
    const t = publishedTallies(rows, 'numenta', 'standard', PROFILES.standard, corpus)!.get('all')!;
    expect(t.windows).toBe(97);
    expect((100 * (t.raw - t.null)) / (t.perfect - t.null)).toBeCloseTo(73.0, 1);
  });
});
