import { compareText } from '@procsight/contract';
/**
 * Who explains a group's wait, resource by resource: pure functions over
 * smoothed per-group and per-host figures (the engine keeps the smoothing).
 * Each returns every other group's share of the victim's wait, most first;
 * the engine decides which shares are strong enough to name a culprit.
 */

/** A group's smoothed CPU figures. */
export interface CpuFigures {
  /** Cores used on each CPU, indexed by CPU number (group/placement.ts). */
  coresByCpu: readonly number[];
  /** Run-queue wait on each CPU (s/s), placed as the CPU time is. */
  waitByCpu: readonly number[];
  /** All its CPU use and wait (s/s), placed or not. */
  cores: number;
  wait: number;
  /** CPUs its processes may run on (empty: unknown). */
  cpus: readonly number[];
  /** More than one thread: its own threads can hold a CPU it waits for. */
  multiThreaded: boolean;
}

/** Share of the victim's wait each other group explains. */
export interface Share {
  group: string;
  share: number;
}

/** A group's placement over one interval (group/types.ts GroupPlacement). */
export interface PlacementFigures {
  coresByCpu: readonly number[];
  waitByCpu: readonly number[];
  spread: ReadonlyArray<{ cpus: readonly number[]; cores: number; wait: number }>;
}

/**
 * Places the time of multi-threaded processes: over the CPUs each may run on,
 * in proportion to the busy time the host reports for each CPU beyond what
 * was placed exactly (pinned and single-threaded processes), because the
 * scheduler moves threads that may run anywhere to the CPUs that have room:
 * beside a group pinned to CPU 0, a pool free to run on CPUs 0–1 mostly runs
 * on CPU 1. Without host figures (or no room left anywhere in a set), evenly.
 */
export function spreadOverCpus(groups: readonly PlacementFigures[], hostBusyByCpu: readonly number[]): Array<{ coresByCpu: number[]; waitByCpu: number[] }> {
  const exact: number[] = [];
  for (const g of groups) g.coresByCpu.forEach((x, c) => (exact[c] = (exact[c] ?? 0) + x));
  const room = (c: number): number => Math.max(0, (hostBusyByCpu[c] ?? 0) - (exact[c] ?? 0));
  return groups.map((g) => {
    const cores = [...g.coresByCpu];
    const wait = [...g.waitByCpu];
    for (const s of g.spread) {
      let total = 0;
      for (const c of s.cpus) total += room(c);
      for (const c of s.cpus) {
        const w = total > 0 ? room(c) / total : 1 / s.cpus.length;
        add(cores, c, s.cores * w);
        add(wait, c, s.wait * w);
      }
    }
    return { coresByCpu: cores, waitByCpu: wait };
  });
}

function add(byCpu: number[], cpu: number, amount: number): void {
  while (byCpu.length <= cpu) byCpu.push(0);
  byCpu[cpu] += amount;
}

/** Least share of its wait a CPU must hold to be named as one the victim waits for. */
const WAIT_CPU_MIN = 0.1;

/**
 * Run-queue wait. While the victim waits on CPU c, c runs something else;
 * over the interval, a group explains the share of c's busy time it used
 * (the victim's own use left out: a single-threaded victim cannot be what it
 * waits for). The victim's wait is spread over CPUs by where it waited, so
 * its share from a group is Σ_c w(c) · cores_G(c) / busy'(c). Host busy time
 * (from /proc/stat, steal included) beyond what the groups account for is
 * left unexplained (kernel work, interrupts, the hypervisor, ungrouped
 * processes), as is time of processes whose CPU could not be placed.
 */
export function attributeCpu(
  victim: { name: string; figures: CpuFigures },
  others: ReadonlyArray<{ name: string; figures: CpuFigures }>,
  hostBusyByCpu: readonly number[],
): { cpus: number[]; waitShare: number; own: number; shares: Array<Share & { cores: number }> } {
  const v = victim.figures;
  const weights = waitWeights(v, hostBusyByCpu.length);
  const cpus = [...weights.entries()].filter(([, w]) => w >= WAIT_CPU_MIN).map(([c]) => c);
  const denominator = new Map<number, number>();
  for (const [c] of weights) {
    let used = 0;
    for (const o of others) used += o.figures.coresByCpu[c] ?? 0;
    const own = v.coresByCpu[c] ?? 0;
    const busy = Math.max(hostBusyByCpu[c] ?? 0, used + own);
    denominator.set(c, Math.max(1e-9, v.multiThreaded ? busy : busy - own));
  }
  let own = 0;
  if (v.multiThreaded) for (const [c, w] of weights) own += (w * (v.coresByCpu[c] ?? 0)) / (denominator.get(c) ?? 1);
  const shares = others
    .map((o) => {
      let share = 0;
      let cores = 0;
      for (const [c, w] of weights) {
        const x = o.figures.coresByCpu[c] ?? 0;
        share += (w * x) / (denominator.get(c) ?? 1);
        if (w >= WAIT_CPU_MIN) cores += x;
      }
      return { group: o.name, share: Math.min(1, share), cores };
    })
    .filter((s) => s.share > 0)
    .sort((a, b) => b.share - a.share || compareText(a.group, b.group));
  const runnable = v.wait + v.cores;
  return { cpus, waitShare: runnable > 0 ? v.wait / runnable : 0, own: Math.min(1, own), shares };
}

/** Where the victim waited, as weights summing to 1: its placed wait, else its allowed CPUs evenly, else every CPU. */
function waitWeights(v: CpuFigures, hostCpus: number): Map<number, number> {
  const out = new Map<number, number>();
  let total = 0;
  v.waitByCpu.forEach((x) => (total += x));
  if (total > 0) {
    v.waitByCpu.forEach((x, c) => x > 0 && out.set(c, x / total));
    return out;
  }
  const cpus = v.cpus.length > 0 ? v.cpus : Array.from({ length: hostCpus }, (_, c) => c);
  for (const c of cpus) out.set(c, 1 / cpus.length);
  return out;
}

/** A disk's smoothed traffic. */
export interface DiskFigures {
  name: string;
  bytesPerSecond: number;
  busyRatio: number;
}

/**
 * Storage wait. /proc gives each process's bytes read from and written to
 * storage (`io`: read_bytes, write_bytes, counted when a page is dirtied, so
 * writeback by the kernel is the dirtying process's) but not the disk they
 * went to. With one busy disk, a group explains the victim's wait in
 * proportion to its share of that disk's traffic; with several busy disks
 * the device of each group is unknown (it would take reading every
 * process's open files and the mount table), so nothing is attributed.
 */
export function attributeIo(
  victim: { name: string; bytesPerSecond: number },
  others: ReadonlyArray<{ name: string; bytesPerSecond: number }>,
  disks: readonly DiskFigures[],
  opts: { diskShareMin: number },
): { disk: DiskFigures | null; busyDisks: DiskFigures[]; own: number; shares: Array<Share & { bytesPerSecond: number }> } {
  const diskTotal = disks.reduce((s, d) => s + d.bytesPerSecond, 0);
  const busyDisks =
    diskTotal > 0 ? disks.filter((d) => d.bytesPerSecond >= opts.diskShareMin * diskTotal).sort((a, b) => b.bytesPerSecond - a.bytesPerSecond) : [];
  const groupsTotal = others.reduce((s, o) => s + o.bytesPerSecond, victim.bytesPerSecond);
  const total = Math.max(groupsTotal, diskTotal, 1e-9);
  const ambiguous = busyDisks.length > 1;
  const shares = ambiguous
    ? []
    : others
        .map((o) => ({ group: o.name, share: Math.min(1, o.bytesPerSecond / total), bytesPerSecond: o.bytesPerSecond }))
        .filter((s) => s.share > 0)
        .sort((a, b) => b.share - a.share || compareText(a.group, b.group));
  return { disk: busyDisks.length === 1 ? busyDisks[0] : null, busyDisks, own: Math.min(1, victim.bytesPerSecond / total), shares };
}

/** A group's memory growth and the memory cgroups it lives in. */
export interface MemoryFigures {
  /** Growth of its resident memory over the window (bytes, ≥ 0). */
  grewBytes: number;
  memoryCgroups: readonly string[];
}

/** A cgroup path below the root ('' and '/' are the root: no limit of its own). */
const limited = (path: string): boolean => path !== '' && path !== '/';
/** The same cgroup, or one inside the other: they share the outer one's limit. */
const related = (a: string, b: string): boolean => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/**
 * Major faults. A group's pages are reclaimed (and faulted back) when the
 * memory they are charged to runs short: its own memory cgroup's limit, or
 * the host's memory. Groups in a related memory cgroup (the same, or one
 * inside the other) share that limit and are always candidates; groups
 * elsewhere only when the host itself is short of memory. A candidate
 * explains the victim's faults in proportion to how much it grew over the
 * window, against all candidates' growth and the victim's own.
 */
export function attributeMemory(
  victim: { name: string; figures: MemoryFigures },
  others: ReadonlyArray<{ name: string; figures: MemoryFigures }>,
  opts: { hostShort: boolean },
): { cgroup: string | null; shares: Array<Share & { grewBytes: number; cgroup: string | null }> } {
  const own = victim.figures.memoryCgroups.filter(limited);
  const cgroupOf = (o: MemoryFigures): string | null => {
    for (const v of own) for (const c of o.memoryCgroups) if (limited(c) && related(v, c)) return v;
    return null;
  };
  const candidates = others
    .map((o) => ({ group: o.name, grewBytes: o.figures.grewBytes, cgroup: cgroupOf(o.figures) }))
    .filter((o) => o.grewBytes > 0 && (o.cgroup !== null || opts.hostShort));
  const total = candidates.reduce((s, c) => s + c.grewBytes, victim.figures.grewBytes);
  const shares = candidates
    .map((c) => ({ ...c, share: total > 0 ? c.grewBytes / total : 0 }))
    .sort((a, b) => b.share - a.share || compareText(a.group, b.group));
  return { cgroup: own[0] ?? null, shares };
}
