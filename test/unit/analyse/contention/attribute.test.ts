import { attributeCpu, attributeIo, attributeMemory, spreadOverCpus, type CpuFigures } from '../../../../exporter/src/analyse/contention/attribute';

const cpu = (over: Partial<CpuFigures>): CpuFigures => ({ coresByCpu: [], waitByCpu: [], cores: 0, wait: 0, cpus: [0, 1], multiThreaded: false, ...over });

describe('attributeCpu', () => {
  it('blames the group that uses the CPU the victim waits on, not one on another CPU', () => {
    const victim = { name: 'worker', figures: cpu({ coresByCpu: [0.1], waitByCpu: [0.4], cores: 0.1, wait: 0.4, cpus: [0] }) };
    const others = [
      { name: 'hog', figures: cpu({ coresByCpu: [0.85], cores: 0.85, cpus: [0] }) },
      { name: 'other-cpu', figures: cpu({ coresByCpu: [0, 0.95], cores: 0.95, cpus: [1] }) },
    ];
    const a = attributeCpu(victim, others, [1, 1]);
    expect(a.cpus).toEqual([0]);
    expect(a.waitShare).toBeCloseTo(0.8);
    expect(a.shares.map((s) => s.group)).toEqual(['hog']);
    // CPU 0 is busy 1.0, of which the worker itself ran 0.1: the hog explains 0.85 / 0.9.
    expect(a.shares[0].share).toBeCloseTo(0.85 / 0.9);
    expect(a.shares[0].cores).toBeCloseTo(0.85);
  });

  it('leaves busy time no group accounts for unexplained', () => {
    const victim = { name: 'worker', figures: cpu({ waitByCpu: [0.3], wait: 0.3, cores: 0.05 }) };
    const a = attributeCpu(victim, [{ name: 'small', figures: cpu({ coresByCpu: [0.1] }) }], [1]);
    expect(a.shares[0].share).toBeCloseTo(0.1);
  });

  it("spreads the victim's wait over its CPUs by where it waited", () => {
    const victim = { name: 'pool', figures: cpu({ waitByCpu: [0.3, 0.1], wait: 0.4, cores: 0.4, multiThreaded: true, coresByCpu: [0.2, 0.2] }) };
    const a = attributeCpu(
      victim,
      [
        { name: 'a', figures: cpu({ coresByCpu: [0.8, 0] }) },
        { name: 'b', figures: cpu({ coresByCpu: [0, 0.8] }) },
      ],
      [1, 1],
    );
    expect(a.shares.find((s) => s.group === 'a')!.share).toBeCloseTo(0.75 * 0.8);
    expect(a.shares.find((s) => s.group === 'b')!.share).toBeCloseTo(0.25 * 0.8);
    // Its own threads hold the rest of the CPUs it waits for.
    expect(a.own).toBeCloseTo(0.2);
  });

  it('falls back to the allowed CPUs when the wait could not be placed', () => {
    const victim = { name: 'v', figures: cpu({ wait: 0.3, cores: 0.1, cpus: [1] }) };
    const a = attributeCpu(
      victim,
      [
        { name: 'on0', figures: cpu({ coresByCpu: [1] }) },
        { name: 'on1', figures: cpu({ coresByCpu: [0, 1] }) },
      ],
      [1, 1],
    );
    expect(a.shares.map((s) => s.group)).toEqual(['on1']);
  });
});

describe('spreadOverCpus', () => {
  it('puts a pool free to move on the CPUs with room beside what is pinned', () => {
    const pinned = { coresByCpu: [0.9], waitByCpu: [0.1], spread: [] };
    const pool = { coresByCpu: [], waitByCpu: [], spread: [{ cpus: [0, 1], cores: 1, wait: 0.2 }] };
    const [a, b] = spreadOverCpus([pinned, pool], [1, 0.9]);
    expect(a).toEqual({ coresByCpu: [0.9], waitByCpu: [0.1] });
    // Room: CPU 0 0.1, CPU 1 0.9.
    expect(b.coresByCpu.map((x) => +x.toFixed(3))).toEqual([0.1, 0.9]);
    expect(b.waitByCpu.map((x) => +x.toFixed(3))).toEqual([0.02, 0.18]);
  });

  it('spreads evenly without host figures', () => {
    const [g] = spreadOverCpus([{ coresByCpu: [], waitByCpu: [], spread: [{ cpus: [0, 1], cores: 1, wait: 0 }] }], []);
    expect(g.coresByCpu).toEqual([0.5, 0.5]);
  });
});

describe('attributeIo', () => {
  const disks = [{ name: 'vda', bytesPerSecond: 50e6, busyRatio: 0.97 }];

  it("blames groups by their share of the one busy disk's traffic", () => {
    const a = attributeIo(
      { name: 'fsync-svc', bytesPerSecond: 0.2e6 },
      [
        { name: 'bulk', bytesPerSecond: 45e6 },
        { name: 'logger', bytesPerSecond: 1e6 },
      ],
      disks,
      { diskShareMin: 0.2 },
    );
    expect(a.disk?.name).toBe('vda');
    expect(a.shares[0]).toMatchObject({ group: 'bulk', share: 0.9 });
    expect(a.own).toBeCloseTo(0.004);
  });

  it('attributes nothing when several disks are busy: /proc does not say which disk a group uses', () => {
    const two = [disks[0], { name: 'sdb', bytesPerSecond: 40e6, busyRatio: 0.5 }];
    const a = attributeIo({ name: 'v', bytesPerSecond: 0 }, [{ name: 'bulk', bytesPerSecond: 45e6 }], two, { diskShareMin: 0.2 });
    expect(a.shares).toEqual([]);
    expect(a.busyDisks.map((d) => d.name)).toEqual(['vda', 'sdb']);
  });

  it("uses the groups' own bytes when no disk counters are known", () => {
    const a = attributeIo({ name: 'v', bytesPerSecond: 1e6 }, [{ name: 'bulk', bytesPerSecond: 3e6 }], [], { diskShareMin: 0.2 });
    expect(a.shares[0].share).toBeCloseTo(0.75);
  });
});

describe('attributeMemory', () => {
  const victim = { name: 'reader', figures: { grewBytes: 0, memoryCgroups: ['/shop'] } };

  it('blames growth in the same memory cgroup (or one inside it), and growth elsewhere only when the host is short', () => {
    const others = [
      { name: 'cache', figures: { grewBytes: 300e6, memoryCgroups: ['/shop/cache'] } },
      { name: 'elsewhere', figures: { grewBytes: 100e6, memoryCgroups: ['/other'] } },
      { name: 'shrinking', figures: { grewBytes: 0, memoryCgroups: ['/shop'] } },
    ];
    const calm = attributeMemory(victim, others, { hostShort: false });
    expect(calm.cgroup).toBe('/shop');
    expect(calm.shares).toEqual([{ group: 'cache', grewBytes: 300e6, cgroup: '/shop', share: 1 }]);
    const short = attributeMemory(victim, others, { hostShort: true });
    expect(short.shares.map((s) => [s.group, s.share])).toEqual([
      ['cache', 0.75],
      ['elsewhere', 0.25],
    ]);
  });

  it("counts the victim's own growth against the others", () => {
    const a = attributeMemory(
      { name: 'v', figures: { grewBytes: 100e6, memoryCgroups: ['/'] } },
      [{ name: 'g', figures: { grewBytes: 100e6, memoryCgroups: ['/'] } }],
      { hostShort: true },
    );
    expect(a.cgroup).toBeNull();
    expect(a.shares[0].share).toBeCloseTo(0.5);
  });
});
