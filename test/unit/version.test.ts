import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInfo, VERSION, versionText } from '../../exporter/src/version';

describe('build facts', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'procsight-build-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the revision and date the build wrote beside the compiled files', () => {
    writeFileSync(join(dir, 'build-info.json'), JSON.stringify({ revision: '1a5b2d3e4f', buildDate: '2026-12-06T21:00:00Z' }));
    const b = buildInfo(dir);
    expect(b).toEqual({
      version: VERSION,
      revision: '1a5b2d3e4f',
      buildDate: '2026-12-06T21:00:00Z',
      nodeVersion: process.version,
      platform: `${process.platform}/${process.arch}`,
    });
    expect(versionText(b).split('\n')).toEqual([
      `procsight, version ${VERSION} (revision: 1a5b2d3e4f)`,
      '  build date:       2026-12-06T21:00:00Z',
      `  node version:     ${process.version}`,
      `  platform:         ${process.platform}/${process.arch}`,
    ]);
  });

  it('says unknown without a build file, or with a damaged one', () => {
    expect(buildInfo(dir)).toMatchObject({ revision: 'unknown', buildDate: 'unknown' });
    writeFileSync(join(dir, 'build-info.json'), '{not json');
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    expect(buildInfo(dir)).toMatchObject({ revision: 'unknown', buildDate: 'unknown' });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/build-info\.json/));
    warn.mockRestore();
  });
});
