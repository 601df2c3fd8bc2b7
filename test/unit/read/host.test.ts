import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceRates, readHost } from '../../../exporter/src/read/host';
import { ProcFs } from '../../../exporter/src/read/procfs';
import { FIXTURES_PROC } from '../../helpers/procfs';

describe('readHost (fixtures)', () => {
  const fs = new ProcFs(FIXTURES_PROC);

  it('reads per-CPU busy time and the whole disks; rates need a previous snapshot', () => {
    const h = readHost(fs, { prev: null, seconds: null, cgroups: [], cgroupRoot: '/nonexistent' });
    expect(h.cpus).toBe(2);
    expect(h.busyByCpu).toEqual([(50000 + 250 + 15000 + 0 + 500 + 100) / 100, (50000 + 250 + 15000 + 0 + 500 + 100) / 100]);
    expect(h.disks.map((d) => d.name)).toEqual(['vda']);
    expect(h.rates).toBeNull();
    expect(h.deviceRates).toBeNull();
  });

  it("reads usage and limit of the groups' memory cgroups that have a limit", () => {
    const root = mkdtempSync(join(tmpdir(), 'procsight-host-cg-'));
    try {
      mkdirSync(join(root, 'memory', 'shop'), { recursive: true });
      writeFileSync(join(root, 'memory', 'memory.limit_in_bytes'), '9223372036854771712\n');
      writeFileSync(join(root, 'memory', 'shop', 'memory.limit_in_bytes'), '268435456\n');
      writeFileSync(join(root, 'memory', 'shop', 'memory.usage_in_bytes'), '1048576\n');
      const h = readHost(fs, { prev: null, seconds: null, cgroups: [], cgroupRoot: root, memoryCgroups: ['/shop', '/gone'] });
      expect(h.cgroupMemory).toEqual({ '/shop': { usageBytes: 1048576, limitBytes: 268435456 } });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('turns two snapshots into per-CPU busy shares and per-disk traffic', () => {
    const a = readHost(fs, { prev: null, seconds: null, cgroups: [], cgroupRoot: '/nonexistent' });
    const b = {
      ...a,
      busyByCpu: [a.busyByCpu[0] + 1.5, a.busyByCpu[1] + 0.5],
      disks: [{ ...a.disks[0], writeBytes: a.disks[0].writeBytes + 4e6, busySeconds: a.disks[0].busySeconds + 1.9 }],
    };
    expect(deviceRates(a, b, 2)).toEqual({
      busyByCpu: [0.75, 0.25],
      disks: [{ name: 'vda', readBytesPerSecond: 0, writeBytesPerSecond: 2e6, busyRatio: expect.closeTo(0.95, 9) }],
    });
    // A disk that appeared in between has no rate yet; a CPU that came online counts from its first reading.
    expect(deviceRates({ ...a, disks: [], busyByCpu: [a.busyByCpu[0]] }, b, 2)).toEqual({ busyByCpu: [0.75, 0], disks: [] });
  });
});
