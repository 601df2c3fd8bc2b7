import { spawnSync } from 'node:child_process';
import { EXPORTER_MAIN, ensureBuilt } from '../helpers/binary';
import { startFault, type FaultHandle } from '../faults/spawn';

/**
 * The binary started as process-exporter would be (issue 23, point 3): its
 * flags used to exit 2; now -procnames with -once-to-stdout-delay prints
 * namedprocess_namegroup_* once, without listening, and exits 0.
 */
describe('the binary with process-exporter flags', () => {
  let fault: FaultHandle | undefined;
  afterAll(async () => fault?.stop());

  it('-procnames … -once-to-stdout-delay=1s prints its series once and exits 0', async () => {
    ensureBuilt();
    fault = await startFault('idle', { name: 'pe-once' });
    const r = spawnSync(
      process.execPath,
      [EXPORTER_MAIN, '-procnames', 'pe-once,pe-absent', '-threads=false', '-gather-smaps=false', '-once-to-stdout-delay=1s'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^namedprocess_namegroup_num_procs\{groupname="pe-once"\} 1$/m);
    expect(r.stdout).toMatch(/^namedprocess_namegroup_num_procs\{groupname="pe-absent"\} 0$/m);
    expect(r.stdout).toMatch(/^namedprocess_namegroup_cpu_seconds_total\{groupname="pe-once",mode="user"\} [\d.]+$/m);
    expect(r.stdout).not.toMatch(/namedprocess_namegroup_thread_|proportionalResident/);
    expect(r.stdout).toMatch(/^procsight_group_processes\{group="pe-once"\} 1$/m); // procsight's own beside them
    expect(r.stderr).not.toMatch(/listening/);
  }, 40_000);

  it('refuses -config.path with -procnames, as process-exporter does, with exit code 2', () => {
    ensureBuilt();
    const r = spawnSync(process.execPath, [EXPORTER_MAIN, '-config.path', '/nonexistent.yml', '-procnames', 'bash'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/-config\.path.*cannot be used with -namemapping or -procnames/);
  });
});
