import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cgroupCpuLimit, cgroupMemoryLimit, cgroupOf, groupCgroup, parseControllerPaths } from '../../../../exporter/src/remediate/actions/cgroup';
import { v2Root } from '../../../../exporter/src/read/cgroup-memory';
import { actionContext } from '../../../helpers/remediation';

/**
 * The cgroup limits on file trees that stand in for /proc and /sys/fs/cgroup
 * (a unified v2 host, a hybrid one whose v2 side has no controllers, a v1
 * one): the writes and the refusals. The real v1 hierarchy of this machine is
 * exercised by test/remediation/actions.test.ts; no host here has the cpu or
 * memory controller on v2.
 */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'procsight-cg-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}
const read = (root: string, p: string) => readFileSync(join(root, p), 'utf8');
const T = (pid: number) => ({ pid, startTicks: 1, comm: 'api' });

describe('cgroup limits (v2, and v1 where a host has only v1)', () => {
  it('parses /proc/<pid>/cgroup per controller and finds the v2 hierarchy of a unified or hybrid host', () => {
    expect(parseControllerPaths('12:cpu,cpuacct:/a\n4:memory:/b\n1:name=systemd:/c.service\n0::/d\n')).toEqual({
      v2: '/d',
      v1: { cpu: '/a', cpuacct: '/a', memory: '/b', 'name=systemd': '/c.service' },
    });
    expect(v2Root(tree({ 'cgroup.controllers': 'cpu memory' }))).not.toBeNull();
    const hybrid = tree({ 'unified/cgroup.controllers': '' });
    expect(v2Root(hybrid)).toBe(join(hybrid, 'unified'));
    expect(v2Root(tree({ 'cpu/cgroup.procs': '' }))).toBeNull();
  });

  it("v2: writes cpu.max and memory.max of the group's cgroup, and rolls back to what was read", async () => {
    const procfs = tree({ '10/cgroup': '0::/system.slice/api.service\n', '11/cgroup': '0::/system.slice/api.service\n' });
    const cg = tree({
      'cgroup.controllers': 'cpu memory',
      'system.slice/api.service/cgroup.procs': '10\n11\n',
      'system.slice/api.service/cpu.max': 'max 100000\n',
      'system.slice/api.service/memory.max': 'max\n',
      'system.slice/api.service/memory.current': '104857600\n',
    });
    const ctx = actionContext({ action: 'cpu_limit', cores: 1.5 }, [T(10), T(11)], { procfs, cgroupfs: cg });
    expect(cgroupOf(procfs, cg, 10, 'cpu')).toEqual({ version: 2, path: '/system.slice/api.service', dir: join(cg, 'system.slice/api.service') });
    const plan = await cgroupCpuLimit.plan(ctx);
    expect(plan).toEqual({
      ok: true,
      before: { version: 2, cgroup: '/system.slice/api.service', files: { 'cpu.max': 'max 100000' } },
      after: { version: 2, cgroup: '/system.slice/api.service', files: { 'cpu.max': '150000 100000' } },
    });
    if (!plan.ok) return;
    expect(read(cg, 'system.slice/api.service/cpu.max')).toBe('max 100000\n'); // planning writes nothing
    expect(await cgroupCpuLimit.execute(ctx, plan.before)).toMatchObject({
      ok: true,
      reason: 'cpu limit set on cgroup v2 /system.slice/api.service: cpu.max=150000 100000',
    });
    expect(read(cg, 'system.slice/api.service/cpu.max')).toBe('150000 100000');
    expect((await cgroupCpuLimit.rollback!(ctx, plan.before)).ok).toBe(true);
    expect(read(cg, 'system.slice/api.service/cpu.max')).toBe('max 100000');

    const mem = actionContext({ action: 'memory_limit', kind: 'memory_leak', bytes: 536870912 }, [T(10), T(11)], { procfs, cgroupfs: cg });
    const mplan = await cgroupMemoryLimit.plan(mem);
    if (!mplan.ok) throw new Error(mplan.reason);
    expect((await cgroupMemoryLimit.execute(mem, mplan.before)).ok).toBe(true);
    expect(read(cg, 'system.slice/api.service/memory.max')).toBe('536870912');
    expect((await cgroupMemoryLimit.rollback!(mem, mplan.before)).ok).toBe(true);
    expect(read(cg, 'system.slice/api.service/memory.max')).toBe('max');
  });

  it('v1 (a hybrid host: the v2 side has no controller): cpu.cfs_quota_us and memory.limit_in_bytes; "unlimited" is written back as -1', async () => {
    const procfs = tree({ '10/cgroup': '4:memory:/batch\n1:cpu:/batch\n0::/\n' });
    const cg = tree({
      'unified/cgroup.controllers': '',
      'cpu/batch/cgroup.procs': '10\n',
      'cpu/batch/cpu.cfs_quota_us': '-1\n',
      'cpu/batch/cpu.cfs_period_us': '100000\n',
      'memory/batch/cgroup.procs': '10\n',
      'memory/batch/memory.limit_in_bytes': '9223372036854771712\n',
      'memory/batch/memory.usage_in_bytes': '1048576\n',
    });
    const ctx = actionContext({ action: 'cpu_limit', cores: 0.25 }, [T(10)], { procfs, cgroupfs: cg });
    const plan = await cgroupCpuLimit.plan(ctx);
    if (!plan.ok) throw new Error(plan.reason);
    expect((await cgroupCpuLimit.execute(ctx, plan.before)).ok).toBe(true);
    expect(read(cg, 'cpu/batch/cpu.cfs_quota_us')).toBe('25000');
    await cgroupCpuLimit.rollback!(ctx, plan.before);
    expect(read(cg, 'cpu/batch/cpu.cfs_quota_us')).toBe('-1');
    const mem = actionContext({ action: 'memory_limit', kind: 'memory_leak', bytes: 67108864 }, [T(10)], { procfs, cgroupfs: cg });
    const mplan = await cgroupMemoryLimit.plan(mem);
    if (!mplan.ok) throw new Error(mplan.reason);
    await cgroupMemoryLimit.execute(mem, mplan.before);
    expect(read(cg, 'memory/batch/memory.limit_in_bytes')).toBe('67108864');
    await cgroupMemoryLimit.rollback!(mem, mplan.before);
    expect(read(cg, 'memory/batch/memory.limit_in_bytes')).toBe('-1');
  });

  it('refuses the root cgroup, a cgroup shared with processes outside the group, a group spread over cgroups, a limit below usage, and a missing controller', async () => {
    const procfs = tree({ '10/cgroup': '0::/a\n', '11/cgroup': '0::/b\n', '12/cgroup': '0::/\n', '13/cgroup': '0::/shared\n', '14/cgroup': '0::/nocpu\n' });
    const cg = tree({
      'cgroup.controllers': 'cpu memory',
      'a/cgroup.procs': '10\n',
      'a/cpu.max': 'max 100000',
      'a/memory.max': 'max',
      'a/memory.current': '900000000',
      'b/cgroup.procs': '11\n',
      'b/cpu.max': 'max 100000',
      'cpu.max': 'max 100000',
      'cgroup.procs': '1\n12\n',
      'shared/cgroup.procs': '13\n999\n',
      'shared/cpu.max': 'max 100000',
      'nocpu/cgroup.procs': '14\n',
    });
    const why = (pids: number[]) => {
      const r = groupCgroup({ procfs, cgroupfs: cg, targets: pids.map(T), group: 'api' }, 'cpu');
      return r.ok ? 'ok' : r.reason;
    };
    expect(why([10])).toBe('ok');
    expect(why([10, 11])).toBe("the group's processes are in 2 cpu cgroups (/a, /b); a limit needs one");
    expect(why([12])).toBe("the group's processes are in the root cpu cgroup: it cannot be limited without limiting everything");
    expect(why([13])).toBe('cgroup /shared also holds processes outside group api (pid 999)');
    expect(why([14])).toMatch(/^pid 14 is in no cgroup with a cpu controller/);
    const low = await cgroupMemoryLimit.plan(
      actionContext({ action: 'memory_limit', kind: 'memory_leak', bytes: 104857600 }, [T(10)], { procfs, cgroupfs: cg }),
    );
    expect(low).toEqual({
      ok: false,
      reason: "the limit (104857600 bytes) is below the cgroup's current usage (900000000 bytes): it would be reclaimed or OOM-killed at once",
    });
  });
});
