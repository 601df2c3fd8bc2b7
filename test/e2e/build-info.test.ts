import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/binary';
import { buildInfo, versionText } from '../../exporter/src/version';

const SCRIPT = join(ROOT, 'exporter', 'scripts', 'build-info.mjs');

/** The build step that records the commit and date for --version and procsight_build_info. */
describe('exporter/scripts/build-info.mjs', () => {
  let out: string;
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'procsight-build-info-'))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  const run = (env: NodeJS.ProcessEnv) => {
    execFileSync(process.execPath, [SCRIPT, out], { env: { PATH: process.env.PATH, ...env }, stdio: 'pipe' });
    return JSON.parse(readFileSync(join(out, 'build-info.json'), 'utf8')) as { revision: string; buildDate: string };
  };

  it('takes the commit from PROCSIGHT_REVISION (the image build) and the date from SOURCE_DATE_EPOCH', () => {
    expect(run({ PROCSIGHT_REVISION: '0123456789abcdef0123456789abcdef01234567', SOURCE_DATE_EPOCH: '1796515200' })).toEqual({
      revision: '0123456789abcdef0123456789abcdef01234567',
      buildDate: '2026-12-06T00:00:00Z',
    });
    expect(versionText(buildInfo(out))).toMatch(/\(revision: 0123456789abcdef0123456789abcdef01234567\)\n {2}build date: +2026-12-06T00:00:00Z\n/);
  });

  it("falls back to the clone's git commit, and the clock", () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const before = Date.now();
    const b = run({});
    expect(b.revision).toBe(head);
    expect(Date.parse(b.buildDate)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  });
});
