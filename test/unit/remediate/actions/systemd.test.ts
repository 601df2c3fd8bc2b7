import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  parseShow,
  parseTimespanUs,
  restart,
  restoreAssignment,
  unitCpuLimit,
  unitMemoryLimit,
  unitMembership,
} from '../../../../exporter/src/remediate/actions/systemd';
import { actionContext } from '../../../helpers/remediation';
import { systemctlStandIn, type SystemctlStandIn } from '../../../helpers/systemctl-standin';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'procsight-unit-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}
const T = (pid: number) => ({ pid, startTicks: 1, comm: 'api' });

describe('systemd units: parsing systemctl', () => {
  it('reads `show` output and systemd time spans', () => {
    expect(parseShow('CPUQuotaPerSecUSec=1.500000s\nMemoryMax=infinity\nbad line\n')).toEqual({ CPUQuotaPerSecUSec: '1.500000s', MemoryMax: 'infinity' });
    expect(parseTimespanUs('1.500000s')).toBe(1_500_000);
    expect(parseTimespanUs('500ms')).toBe(500_000);
    expect(parseTimespanUs('2min 30s')).toBe(150_000_000);
    expect(parseTimespanUs('infinity')).toBeNull();
    expect(parseTimespanUs('soon')).toBeNull();
    expect(restoreAssignment('cpu', 'infinity')).toBe('CPUQuota=');
    expect(restoreAssignment('cpu', '1.500000s')).toBe('CPUQuota=150%');
    expect(restoreAssignment('memory', 'infinity')).toBe('MemoryMax=infinity');
    expect(restoreAssignment('memory', '1073741824')).toBe('MemoryMax=1073741824');
  });
});

describe('systemd units: who is in the unit', () => {
  const procfs = tree({
    '10/cgroup': '0::/system.slice/api.service\n',
    '11/cgroup': '0::/system.slice/api.service/worker\n',
    '12/cgroup': '0::/system.slice/cron.service\n',
    '13/cgroup': '1:name=systemd:/system.slice/legacy.service\n0::/\n',
  });
  const cg = tree({
    'cgroup.controllers': '',
    'system.slice/api.service/cgroup.procs': '10\n',
    'system.slice/api.service/worker/cgroup.procs': '11\n',
    'system.slice/cron.service/cgroup.procs': '12\n555\n',
    'systemd/system.slice/legacy.service/cgroup.procs': '13\n',
  });
  const why = (pids: number[], unit: string) => {
    const r = unitMembership({ procfs, cgroupfs: cg, targets: pids.map(T), group: 'api' }, unit);
    return r.ok ? 'ok' : r.reason;
  };

  it('accepts a group that is the whole unit (sub-cgroups included), on v2 or in the v1 name=systemd hierarchy', () => {
    expect(why([10, 11], 'api.service')).toBe('ok');
    expect(why([13], 'legacy.service')).toBe('ok');
  });

  it('refuses a process outside the unit, and a unit that also runs processes outside the group', () => {
    expect(why([10, 12], 'api.service')).toBe('pid 12 (api) of group api does not run in api.service');
    expect(why([10], 'api.service')).toBe('api.service also runs processes outside group api (pid 11)');
    expect(why([12], 'cron.service')).toBe('cron.service also runs processes outside group api (pid 555)');
  });
});

describe('systemd units: restart and limits through a stand-in systemctl on PATH (no systemd on this machine)', () => {
  let standIn: SystemctlStandIn;
  const path = process.env.PATH;
  const procfs = tree({ '10/cgroup': '0::/system.slice/api.service\n', '20/cgroup': '0::/system.slice/broken.service\n' });
  const cg = tree({ 'cgroup.controllers': '', 'system.slice/api.service/cgroup.procs': '10\n', 'system.slice/broken.service/cgroup.procs': '20\n' });
  beforeAll(() => {
    standIn = systemctlStandIn();
    standIn.addUnit('api.service');
    standIn.addUnit('broken.service');
    process.env.PATH = `${standIn.dir}:${path}`;
  });
  afterAll(() => {
    process.env.PATH = path;
    standIn.remove();
  });

  it('restarts the unit after checking the group is the unit, and reports a failed restart', async () => {
    const ctx = actionContext({ action: 'restart', kind: 'memory_leak', unit: 'api.service' }, [T(10)], { procfs, cgroupfs: cg });
    const plan = await restart.plan(ctx);
    expect(plan).toEqual({
      ok: true,
      before: { unit: 'api.service', properties: { ActiveState: 'active', SubState: 'running', MainPID: '100', NRestarts: '0' } },
      after: { unit: 'api.service', command: 'systemctl restart api.service' },
    });
    if (!plan.ok) return;
    const r = await restart.execute(ctx, plan.before);
    expect(r).toMatchObject({ ok: true, reason: 'api.service restarted', after: { properties: { NRestarts: '1', MainPID: '101' } } });
    expect(standIn.calls()).toContainEqual(['restart', 'api.service']);
    expect(restart.rollback).toBeUndefined();
    const broken = actionContext({ action: 'restart', kind: 'memory_leak', unit: 'broken.service' }, [T(20)], { procfs, cgroupfs: cg });
    expect(await restart.execute(broken, null)).toMatchObject({
      ok: false,
      reason: 'systemctl restart: exit code 1: Job for broken.service failed because the control process exited with error code.',
    });
    // A group that is not in the unit is refused before systemctl is asked anything.
    const calls = standIn.calls().length;
    expect(await restart.plan({ ...ctx, targets: [T(20)] })).toEqual({ ok: false, reason: 'pid 20 (api) of group victims does not run in api.service' });
    expect(standIn.calls()).toHaveLength(calls);
  });

  it('sets CPUQuota and MemoryMax with set-property --runtime and restores what show read', async () => {
    const cpu = actionContext({ action: 'cpu_limit', cores: 1.5, unit: 'api.service' }, [T(10)], { procfs, cgroupfs: cg });
    const plan = await unitCpuLimit.plan(cpu);
    if (!plan.ok) throw new Error(plan.reason);
    expect(await unitCpuLimit.execute(cpu, plan.before)).toMatchObject({ ok: true, reason: 'api.service: CPUQuota=150%' });
    expect(standIn.property('api.service', 'CPUQuotaPerSecUSec')).toBe('1.500000s');
    expect(standIn.calls()).toContainEqual(['set-property', '--runtime', 'api.service', 'CPUQuota=150%']);
    expect(await unitCpuLimit.rollback!(cpu, plan.before)).toMatchObject({ ok: true, reason: 'api.service: CPUQuota=' });
    expect(standIn.property('api.service', 'CPUQuotaPerSecUSec')).toBe('infinity');
    const mem = actionContext({ action: 'memory_limit', kind: 'memory_leak', bytes: 1073741824, unit: 'api.service' }, [T(10)], { procfs, cgroupfs: cg });
    const mplan = await unitMemoryLimit.plan(mem);
    if (!mplan.ok) throw new Error(mplan.reason);
    await unitMemoryLimit.execute(mem, mplan.before);
    expect(standIn.property('api.service', 'MemoryMax')).toBe('1073741824');
    await unitMemoryLimit.rollback!(mem, mplan.before);
    expect(standIn.property('api.service', 'MemoryMax')).toBe('infinity');
  });
});
