import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '../../exporter/src/compose';
import { startFault, type FaultHandle } from '../faults/spawn';
import { startExporter } from '../helpers/exporter';
import { actions, bottleneckAlert, decide, IGNORES_TERM, notify, startVictim, statField, until, waitForGroup, type Victim } from '../helpers/remediation';
import { systemctlStandIn, type SystemctlStandIn } from '../helpers/systemctl-standin';

/**
 * Each remediation action on real processes through the whole exporter (auto
 * mode, real routes, executors and audit log): CPU and memory limits on REAL
 * cgroups (this machine: cgroup v1 cpu and memory hierarchies, writable as
 * root; its v2 hierarchy at /sys/fs/cgroup/unified has no controllers, so v2
 * limits are tested on a file tree in test/unit/remediate/actions/cgroup),
 * TERM then KILL, an operator script, and the restart of a systemd unit
 * through a STAND-IN systemctl on PATH (no systemd here), for a process moved
 * into a real cgroup named like the unit.
 */
const TOKEN = 'test-remediation-token-0123456789';
const CG = '/sys/fs/cgroup';
const canCgroup = process.getuid?.() === 0 && existsSync(join(CG, 'cpu', 'cgroup.procs')) && existsSync(join(CG, 'memory', 'cgroup.procs'));
const cgroupIt = canCgroup ? it : it.skip;

/** A fresh cgroup under one hierarchy, holding `pid`; removed by `cleanup`. */
const made: string[] = [];
function cgroupWith(hierarchy: string, name: string, pid: number): string {
  const dir = join(CG, hierarchy, name);
  mkdirSync(dir);
  made.push(dir);
  writeFileSync(join(dir, 'cgroup.procs'), String(pid));
  return dir;
}

/** CPU cores a process used over `ms`, from /proc/<pid>/stat (utime + stime, 100 ticks a second). */
async function coresUsed(pid: number, ms: number): Promise<number> {
  const ticks = () => statField(pid, 14) + statField(pid, 15);
  const t0 = ticks();
  await new Promise((r) => setTimeout(r, ms));
  return (ticks() - t0) / 100 / (ms / 1000);
}

describe('remediation actions on real processes and cgroups (auto mode)', () => {
  let svc: Service;
  let standIn: SystemctlStandIn;
  const dir = mkdtempSync(join(tmpdir(), 'procsight-rem-actions-'));
  const procs: Array<FaultHandle | Victim> = [];
  const path = process.env.PATH;

  beforeAll(async () => {
    standIn = systemctlStandIn();
    standIn.addUnit('rem-unit.service');
    process.env.PATH = `${standIn.dir}:${path}`; // the exporter runs in this process: its systemctl is the stand-in
    writeFileSync(join(dir, 'token'), TOKEN);
    writeFileSync(join(dir, 'fix.sh'), `#!/bin/sh\ncat > "${dir}/alert.json"\necho "dumped fds of $PROCSIGHT_GROUP"\n`);
    chmodSync(join(dir, 'fix.sh'), 0o755);
    const rules = [
      '{group: rem-cpu, kind: cpu_saturation, action: cpu_limit, cores: 0.2}',
      '{group: rem-mem, kind: memory_leak, action: memory_limit, bytes: 268435456}',
      '{group: rem-kill, kind: thread_explosion, action: signal, grace_seconds: 1}',
      `{group: rem-run, kind: fd_exhaustion, action: run, command: ["${dir}/fix.sh"], timeout_seconds: 10}`,
      '{group: rem-unit, kind: memory_leak, action: restart, unit: rem-unit.service}',
      '{group: rem-shared, kind: cpu_saturation, action: cpu_limit, cores: 0.5}',
    ];
    svc = await startExporter({
      cli: { storagePath: join(dir, 'state') },
      configYaml: `remediation:\n  mode: auto\n  webhook_token_file: ${dir}/token\n  require_active_bottleneck: false\n  max_actions_per_hour: 100\n  rules:\n${rules.map((r) => `    - ${r}\n`).join('')}`,
    });
  }, 30_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await svc?.stop();
    process.env.PATH = path;
    standIn?.remove();
    // Emptied by the processes' exit; a cgroup is removed with rmdir.
    for (const d of made.reverse()) if (existsSync(d)) rmdirSync(d);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sends one alert and waits for its action to finish; returns the action. */
  async function act(group: string, kind: string) {
    const r = await notify(svc.url, TOKEN, [bottleneckAlert(group, kind, { startsAt: new Date().toISOString() })]);
    const id = r.body.results?.[0].id as string;
    if (r.body.results?.[0].status === 'refused') return (await actions(svc.url)).find((a) => a.id === id)!;
    await until(`action ${id}`, async () => !(await actions(svc.url)).find((a) => a.id === id)?.executing, 20_000);
    return (await actions(svc.url)).find((a) => a.id === id)!;
  }

  cgroupIt(
    'limits a real CPU hog to 0.2 cores in its own cgroup (v1 cpu.cfs_quota_us), measurably, and the rollback lifts the limit',
    async () => {
      const hog = await startFault('cpu-hog', { name: 'rem-cpu', maxSeconds: 120 });
      procs.push(hog);
      const cg = cgroupWith('cpu', `procsight-test-cpu-${process.pid}`, hog.pid);
      await waitForGroup(svc.url, 'rem-cpu');
      const a = await act('rem-cpu', 'cpu_saturation');
      expect(a).toMatchObject({
        status: 'done',
        before: { version: 1, cgroup: `/procsight-test-cpu-${process.pid}`, files: { 'cpu.cfs_quota_us': '-1', 'cpu.cfs_period_us': '100000' } },
      });
      expect(readFileSync(join(cg, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('20000');
      expect(await coresUsed(hog.pid, 3000)).toBeLessThan(0.3); // unlimited it burns up to a core (less on this shared machine)
      expect((await decide(svc.url, TOKEN, a.id, 'rollback')).body.action?.status).toBe('rolled_back');
      expect(readFileSync(join(cg, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('-1');
    },
    60_000,
  );

  cgroupIt(
    'sets a memory limit on a real v1 memory cgroup and rolls it back to unlimited',
    async () => {
      const v = await startVictim('rem-mem');
      procs.push(v);
      const cg = cgroupWith('memory', `procsight-test-mem-${process.pid}`, v.pid);
      await waitForGroup(svc.url, 'rem-mem');
      const a = await act('rem-mem', 'memory_leak');
      expect(a.status).toBe('done');
      expect(readFileSync(join(cg, 'memory.limit_in_bytes'), 'utf8').trim()).toBe('268435456');
      expect(v.child.exitCode).toBeNull();
      await decide(svc.url, TOKEN, a.id, 'rollback');
      expect(Number(readFileSync(join(cg, 'memory.limit_in_bytes'), 'utf8'))).toBeGreaterThan(2 ** 62);
    },
    60_000,
  );

  cgroupIt(
    'refuses a limit on a cgroup that also holds a process outside the group, and leaves the cgroup as it was',
    async () => {
      const mine = await startVictim('rem-shared');
      const stranger = await startVictim('rem-stranger');
      procs.push(mine, stranger);
      const cg = cgroupWith('cpu', `procsight-test-shared-${process.pid}`, mine.pid);
      writeFileSync(join(cg, 'cgroup.procs'), String(stranger.pid));
      await waitForGroup(svc.url, 'rem-shared');
      const a = await act('rem-shared', 'cpu_saturation');
      expect(a).toMatchObject({
        status: 'refused',
        reason: `cgroup /procsight-test-shared-${process.pid} also holds processes outside group rem-shared (pid ${stranger.pid})`,
      });
      expect(readFileSync(join(cg, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('-1');
    },
    60_000,
  );

  it('sends TERM, then KILL after the grace period to a process that ignores TERM', async () => {
    const v = await startVictim('rem-kill', { args: IGNORES_TERM, waitForOutput: true });
    procs.push(v);
    await waitForGroup(svc.url, 'rem-kill');
    const a = await act('rem-kill', 'thread_explosion');
    expect(a).toMatchObject({ status: 'done', after: { exited_on_term: [], killed: [v.pid], still_running: [] } });
    // Really gone, by KILL (the exporter's own report above is not the evidence).
    await until('the victim gone', () => v.child.exitCode !== null || v.child.signalCode !== null);
    expect(v.child.signalCode).toBe('SIGKILL');
  }, 60_000);

  it("runs the operator's script with the alert as JSON on stdin", async () => {
    const v = await startVictim('rem-run');
    procs.push(v);
    await waitForGroup(svc.url, 'rem-run');
    const a = await act('rem-run', 'fd_exhaustion');
    expect(a).toMatchObject({ status: 'done', after: { exit_code: 0, stdout: 'dumped fds of rem-run\n' } });
    const input = JSON.parse(readFileSync(join(dir, 'alert.json'), 'utf8')) as { alert: { labels: Record<string, string> }; processes: Array<{ pid: number }> };
    expect(input.alert.labels).toMatchObject({ group: 'rem-run', kind: 'fd_exhaustion' });
    expect(input.processes.map((p) => p.pid)).toEqual([v.pid]);
  }, 60_000);

  cgroupIt(
    'restarts the systemd unit the group runs in, through a stand-in systemctl on PATH (no systemd here; the process is moved into a real v2 cgroup named like the unit)',
    async () => {
      const v = await startVictim('rem-unit');
      procs.push(v);
      await waitForGroup(svc.url, 'rem-unit');
      // Not in the unit yet: refused, systemctl never asked to restart.
      const outside = await act('rem-unit', 'memory_leak');
      expect(outside).toMatchObject({ status: 'refused', reason: `pid ${v.pid} (rem-unit) of group rem-unit does not run in rem-unit.service` });
      cgroupWith('unified', 'rem-unit.service', v.pid);
      await new Promise((r) => setTimeout(r, 1000)); // the refusal's cooldown is none: refused actions do not hold it
      const a = await act('rem-unit', 'memory_leak');
      expect(a).toMatchObject({ status: 'done', reason: 'rem-unit.service restarted', after: { unit: 'rem-unit.service', properties: { NRestarts: '1' } } });
      expect(standIn.calls().filter((c) => c[0] === 'restart')).toEqual([['restart', 'rem-unit.service']]);
    },
    60_000,
  );
});
