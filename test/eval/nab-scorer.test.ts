import { existsSync } from 'node:fs';
import { annotate, MAX_TP, PROFILES, scaledSigmoid, scoreFile } from '../../eval/nab/scorer';
import { loadNab, loadPerFileScores, loadReference, NAB_DIR } from '../../eval/nab/data';

/**
 * The project's NAB scorer against NAB's own published per-file scores, on
 * five files of the AWS category (every profile, two detectors), in a few
 * seconds. `npx tsx eval/anomaly/explore/check-htm.ts` checks all 51 files.
 */
const FILES = [
  'ec2_cpu_utilization_24ae8d.csv',
  'ec2_cpu_utilization_825cc2.csv',
  'elb_request_count_8c0756.csv',
  'rds_cpu_utilization_cc0c53.csv',
  'grok_asg_anomaly.csv',
];

const have = existsSync(NAB_DIR);
(have ? describe : describe.skip)('NAB scorer', () => {
  const files = loadNab().filter((f) => FILES.includes(f.name));
  const ref = loadPerFileScores();

  it('has the scaled sigmoid NAB uses', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.9866, 4);
    expect(scaledSigmoid(0)).toBeCloseTo(0, 10);
    expect(scaledSigmoid(4)).toBe(-1);
    expect(scaledSigmoid(3)).toBe(-1);
    expect(MAX_TP).toBeCloseTo(0.9866, 4);
  });

  // Reproduced exactly (to rounding): a true-positive credit is divided by the sigmoid at the window's
  // left edge, as NAB's sweeper does; without that division every file with a detection in a window
  // is off by up to 0.04.
  it.each(['numenta', 'windowedGaussian'])("reproduces NAB's per-file scores of %s for all three profiles", (detector) => {
    expect(files.map((f) => f.name).sort()).toEqual([...FILES].sort());
    let compared = 0;
    for (const profile of Object.keys(PROFILES) as Array<keyof typeof PROFILES>) {
      const threshold = ref.get(`${detector}|${profile}|threshold`)!;
      for (const f of files) {
        const expected = ref.get(`${detector}|${profile}|${f.name}`)!;
        const r = loadReference(detector, f.name);
        const got = scoreFile(annotate(r.timestamps, r.scores, f.windows), f.windows.length, threshold, PROFILES[profile]).score;
        expect({ profile, file: f.name, difference: Math.abs(got - expected) < 1e-6 }).toEqual({ profile, file: f.name, difference: true });
        compared++;
      }
    }
    expect(compared).toBe(3 * FILES.length);
  });
});
