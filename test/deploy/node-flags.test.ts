import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exporterLaunchEnv, exporterNodeFlags } from '../../scripts/node-flags';

describe("the exporter's Node flags, read from npm start", () => {
  it('are the flags between node and exporter/dist/main.js in the start script, and Node accepts them', () => {
    const flags = exporterNodeFlags();
    expect(flags).toEqual(['--max-semi-space-size=1', '--v8-pool-size=1']);
    expect(exporterLaunchEnv()).toEqual({ MALLOC_ARENA_MAX: '1' });
    const r = spawnSync(process.execPath, [...flags, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
    expect({ status: r.status, out: r.stdout, err: r.stderr }).toEqual({ status: 0, out: 'ok', err: '' });
  });

  it('reads the variables set before node apart from the flags', () => {
    const dir = mkdtempSync(join(tmpdir(), 'procsight-flags-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'A_B=2 C=x=y node --f=1 exporter/dist/main.js' } }));
      expect({ env: exporterLaunchEnv(dir), flags: exporterNodeFlags(dir) }).toEqual({ env: { A_B: '2', C: 'x=y' }, flags: ['--f=1'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a start script of another shape, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'procsight-flags-'));
    try {
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'tsx exporter/src/main.ts' } }));
      expect(() => exporterNodeFlags(dir)).toThrow('tsx exporter/src/main.ts');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
