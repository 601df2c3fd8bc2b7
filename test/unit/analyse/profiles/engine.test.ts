import type { FeatureSource, WindowStats } from '../../../../exporter/src/analyse/features/types';
import { ProfileEngine } from '../../../../exporter/src/analyse/profiles/engine';
import type { Signal } from '@procsight/contract';

/** Groups with fixed 15-minute means per signal (the profile engine reads only those). */
function source(groups: Record<string, Partial<Record<Signal, number>>>): FeatureSource {
  const base: WindowStats = { n: 60, spanSeconds: 900, mean: 0, std: 0, ewma: 0, slope: 0, r2: 0, p95: 0, min: 0, max: 0, last: 0, growth: 0 };
  return {
    groups: () => Object.keys(groups),
    stats: (g, signal) => (g in groups ? { ...base, mean: groups[g][signal] ?? 0 } : null),
    points: () => ({ t: new Float64Array(0), x: new Float64Array(0) }),
  };
}

// Five kinds of process, far apart: CPU-bound, memory-heavy, I/O writers, thread-heavy, idle.
const KINDS: Record<string, Partial<Record<Signal, number>>> = {
  cpu: { cpu: 3.5, memory: 50e6, threads: 4, fds: 20 },
  mem: { cpu: 0.05, memory: 8e9, threads: 8, fds: 50 },
  io: { cpu: 0.1, memory: 100e6, io_write: 80e6, threads: 4, fds: 30 },
  thr: { cpu: 0.4, memory: 400e6, threads: 900, fds: 2000, context_switches: 50_000 },
  idle: { cpu: 0, memory: 5e6, threads: 1, fds: 3 },
};

function groupsOf(kinds: string[], perKind: number): Record<string, Partial<Record<Signal, number>>> {
  const out: Record<string, Partial<Record<Signal, number>>> = {};
  for (const k of kinds)
    for (let i = 0; i < perKind; i++) out[`${k}-${i}`] = Object.fromEntries(Object.entries(KINDS[k]).map(([s, v]) => [s, v * (1 + 0.05 * i)]));
  return out;
}

describe('ProfileEngine', () => {
  it('keeps cluster ids when fewer groups than k leave fewer clusters, and never flags the groups that stayed put', () => {
    const e = new ProfileEngine({ k: 4, everyTicks: 1, historyLength: 10 });
    const idsOf = (r: ReturnType<ProfileEngine['update']>) => Object.fromEntries(r.points.map((p) => [p.group, p.cluster]));
    // One group per profile: k = 4 clusters.
    const four = groupsOf(['cpu', 'mem', 'io', 'idle'], 1);
    let r = e.update(source(four));
    for (let i = 0; i < 5; i++) r = e.update(source(four));
    const before = idsOf(r);
    expect(new Set(Object.values(before)).size).toBe(4);
    // The I/O writer exits: 3 groups, 3 clusters. Each group keeps its id.
    const three = groupsOf(['cpu', 'mem', 'idle'], 1);
    for (let i = 0; i < 4; i++) {
      r = e.update(source(three));
      for (const p of r.points) {
        expect(p.cluster).toBe(before[p.group]);
        expect(p.leftUsualCluster).toBe(false);
      }
    }
    // It comes back: the others keep theirs, and ids stay within 0 … k − 1.
    r = e.update(source(four));
    for (const p of r.points) if (p.group !== 'io-0') expect(p.cluster).toBe(before[p.group]);
    expect(r.points.every((p) => p.cluster >= 0 && p.cluster < 4)).toBe(true);
    expect(new Set(r.points.map((p) => p.cluster)).size).toBe(4);
  });

  it('gives the same clusters and map for the same input (seeded)', () => {
    const g = groupsOf(['cpu', 'mem', 'io', 'idle'], 3);
    const a = new ProfileEngine({ k: 4, everyTicks: 1, historyLength: 10 }).update(source(g));
    const b = new ProfileEngine({ k: 4, everyTicks: 1, historyLength: 10 }).update(source(g));
    expect(a).toEqual(b);
    expect(a.clusters).toHaveLength(4);
    expect(new Set(a.points.filter((p) => p.group.startsWith('cpu')).map((p) => p.cluster)).size).toBe(1);
  });
});
