import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { evaluateDir, main, USAGE, UsageError } from '../../eval/anomaly/run';
import { STREAM_ALERT_THRESHOLD } from '../../exporter/src/analyse/anomaly/stream';

/**
 * `npm run eval:anomaly` on a tiny directory in NAB's layout (three cut NAB
 * files: 5-minute and hourly steps, one file without windows; no
 * profiles.json, so NAB's own profiles apply).
 */
const ROOT = join(__dirname, '..', '..');
const DATA = join(ROOT, 'test', 'fixtures', 'nab-mini');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

describe('eval:anomaly CLI', () => {
  it('prints a per-file table and, with --json, one JSON object of the documented shape as its last line', () => {
    const out = execFileSync(TSX, ['eval/anomaly/run.ts', '--data', DATA, '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(out).toContain('| realAdExchange/exchange-3_cpc_results.csv | 500 | 3600 |');
    expect(out).toContain('| artificialNoAnomaly/art_daily_small_noise.csv | 800 | 300 |');
    const j = lastJson(out);
    expect(Object.keys(j).sort()).toEqual(['detector', 'false_positives', 'profiles', 'threshold', 'windows']);
    expect(j.detector).toBe('procsight');
    expect(j.threshold).toBe(STREAM_ALERT_THRESHOLD);
    const profiles = j.profiles as Record<string, number>;
    expect(Object.keys(profiles).sort()).toEqual(['reward_low_FN_rate', 'reward_low_FP_rate', 'standard']);
    for (const v of Object.values(profiles)) {
      expect(typeof v).toBe('number');
      expect(v).toBeLessThanOrEqual(100);
    }
    expect(j.windows).toEqual({ found: expect.any(Number), total: 3 });
    expect(Number.isInteger(j.false_positives)).toBe(true);
  }, 60_000);

  it('runs the baselines the same way, each at its own shipped threshold', () => {
    const z = evaluateDir(DATA, 'zscore').summary;
    const g = evaluateDir(DATA, 'gaussian').summary;
    expect(z.detector).toBe('zscore');
    expect(g.detector).toBe('gaussian');
    expect(g.threshold).toBe(1);
    expect(z.windows.total).toBe(3);
    expect(g.windows.total).toBe(3);
  });

  it('scores the shipped detector on these files with the scorer (the AWS window is found early, the file without windows costs only its false positives)', () => {
    const { files, summary } = evaluateDir(DATA, 'procsight');
    const aws = files.find((f) => f.key.startsWith('realAWSCloudwatch/'))!;
    expect(aws.tallies.standard.found).toBe(1);
    expect(aws.tallies.standard.raw).toBeGreaterThan(0.5);
    const none = files.find((f) => f.key.startsWith('artificialNoAnomaly/'))!;
    expect(none.tallies.standard.windows).toBe(0);
    expect(none.tallies.standard.raw).toBeCloseTo(-0.11 * none.tallies.standard.falsePositives, 1);
    expect(summary.profiles.standard).toBeGreaterThan(50);
  });

  it('refuses an unknown detector, an unknown flag or a missing --data with the usage message', () => {
    expect(() => main(['--data', DATA, '--detector', 'oracle'])).toThrow(UsageError);
    expect(() => main(['--data', DATA, '--jsn'])).toThrow(USAGE);
    expect(() => main(['--json'])).toThrow(UsageError);
  });
});
