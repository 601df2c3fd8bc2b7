import {
  type ContentionResource,
  type Culprit,
  CONTENTION_RESOURCES,
  CULPRIT_SENTENCES as C,
  EVIDENCE_SENTENCES as S,
  fmtBytes,
  fmtRatio,
  compareText,
} from '@procsight/contract';
import type { CollectionSnapshot } from '../../pipeline/types';
import type { GroupSnapshot } from '../../group/types';
import type { FeatureSource } from '../features/types';
import { Hysteresis } from '../bottleneck/hysteresis';
import { attributeCpu, attributeIo, attributeMemory, spreadOverCpus, type CpuFigures, type DiskFigures } from './attribute';
import type { ContentionConfig } from './config';

/** A group that waits for a resource, and the groups named as causing that wait. */
export interface ContentionVictim {
  group: string;
  resource: ContentionResource;
  /**
   * How much it waits: cpu, the share of its runnable time spent waiting for a CPU; io, the
   * share of its time waiting on storage; memory, major page faults per second.
   */
  wait: number;
  /** Named culprits, most to blame first (at most contention.max_culprits); empty when the evidence is too weak. */
  culprits: Culprit[];
  /** Why no culprit is named ("no neighbour explains the wait: …"); null when one is. */
  note: string | null;
}

/** Smoothed figures of one group. */
interface GroupState {
  coresByCpu: number[];
  waitByCpu: number[];
  cores: number;
  wait: number;
  ioWait: number;
  ioBytes: number;
  faults: number;
  cpus: number[];
  multiThreaded: boolean;
  memoryCgroups: string[];
  /** Seconds of history smoothed so far: a victim needs smoothing_seconds of it. */
  seconds: number;
}

/** Window over which memory growth is measured (the feature store's 5-minute window). */
const GROWTH_WINDOW = '5m';

/**
 * Contention with a named culprit: after each collection, every group's
 * CPU placement, storage wait and traffic and major faults are smoothed
 * (exponential moving averages, `smoothing_seconds`); groups that wait
 * enough for a resource are victims, and each other group's share of a
 * victim's wait is estimated (./attribute.ts). A share at or above
 * `min_share` held for `hold_seconds` names the group as a culprit (and it
 * stays named until its share has been below half that for
 * `clear_seconds`). Cost per collection: O(groups × CPUs) for the smoothing
 * plus O(victims × groups), victims capped per resource.
 */
export class ContentionEngine {
  private readonly groups = new Map<string, GroupState>();
  private hostBusy: number[] = [];
  private readonly disks = new Map<string, { bytes: number; busy: number }>();
  private readonly named = new Hysteresis();
  /** The last share and evidence of each culprit while it is named. */
  private readonly last = new Map<string, Culprit>();
  /** Victims of the last collection, per resource (they stay victims down to victim_hold_ratio of the threshold, io down to io_wait_exit). */
  private victims = new Map<ContentionResource, Set<string>>();
  private result: ContentionVictim[] = [];

  constructor(private readonly config: ContentionConfig) {}

  current(): ContentionVictim[] {
    return this.result;
  }

  update(snapshot: CollectionSnapshot, features: FeatureSource): ContentionVictim[] {
    if (!this.config.enabled) return (this.result = []);
    const alpha = 1 - Math.exp(-Math.max(0, snapshot.intervalSeconds) / this.config.smoothing_seconds);
    this.smoothHost(snapshot, alpha);
    const live = snapshot.groups.filter((g) => g.rates && g.processes > 0 && !g.overflow);
    const present = new Set(live.map((g) => g.name));
    for (const name of this.groups.keys()) if (!present.has(name)) this.groups.delete(name);
    const EMPTY = { coresByCpu: [], waitByCpu: [], spread: [], cpus: [] };
    const placed = spreadOverCpus(
      live.map((g) => g.placement ?? EMPTY),
      snapshot.host.deviceRates?.busyByCpu ?? [],
    );
    live.forEach((g, i) => this.smoothGroup(g, placed[i], alpha, snapshot.intervalSeconds));

    const now = snapshot.timestampMs;
    const touched = new Set<string>();
    const victims: ContentionVictim[] = [];
    for (const resource of CONTENTION_RESOURCES) {
      for (const v of this.victimsOf(resource)) {
        const found = this.attribute(resource, v, snapshot, features);
        const culprits: Culprit[] = [];
        for (const c of found.candidates) {
          const key = keyOf(v.group, c.group, resource);
          touched.add(key);
          const h = this.named.update(key, c.share, now, this.band());
          if (h.active) this.last.set(key, c);
          if (h.active) culprits.push(c);
        }
        victims.push({ ...v, culprits, note: culprits.length === 0 ? S.culprit_share({ culprits: [], reason: found.reason }) : null });
      }
    }
    // Culprits of waits that stopped (or shares no longer computed) fade out through the hysteresis.
    for (const key of this.last.keys()) {
      if (touched.has(key)) continue;
      const [victim, , resource] = key.split('\u0000') as [string, string, ContentionResource];
      const h = present.has(victim) ? this.named.update(key, 0, now, this.band()) : { active: false };
      if (!h.active) {
        this.last.delete(key);
        continue;
      }
      const held = this.last.get(key)!;
      let entry = victims.find((x) => x.group === victim && x.resource === resource);
      if (!entry) {
        // No longer a victim: its wait (below the exit level) goes with the culprits still held.
        const s = this.groups.get(victim);
        entry = { group: victim, resource, wait: s ? waitOf(s, resource) : 0, culprits: [], note: null };
        victims.push(entry);
      }
      entry.culprits.push(held);
      entry.note = null;
    }
    this.named.retain((k) => this.last.has(k) || touched.has(k));
    for (const v of victims) v.culprits = v.culprits.sort((a, b) => b.share - a.share || compareText(a.group, b.group)).slice(0, this.config.max_culprits);
    return (this.result = victims.sort((a, b) => compareText(a.group, b.group) || compareText(a.resource, b.resource)));
  }

  private band() {
    return { on: this.config.min_share, off: this.config.min_share / 2, forMs: this.config.hold_seconds * 1000, clearMs: this.config.clear_seconds * 1000 };
  }

  private smoothHost(snapshot: CollectionSnapshot, alpha: number): void {
    const d = snapshot.host.deviceRates;
    if (!d) return;
    this.hostBusy = smoothArray(this.hostBusy, d.busyByCpu, this.hostBusy.length === 0 ? 1 : alpha);
    const seen = new Set<string>();
    for (const disk of d.disks) {
      seen.add(disk.name);
      const bytes = disk.readBytesPerSecond + disk.writeBytesPerSecond;
      const s = this.disks.get(disk.name);
      if (!s) this.disks.set(disk.name, { bytes, busy: disk.busyRatio });
      else {
        s.bytes += alpha * (bytes - s.bytes);
        s.busy += alpha * (disk.busyRatio - s.busy);
      }
    }
    for (const name of this.disks.keys()) if (!seen.has(name)) this.disks.delete(name);
  }

  /** `placed`: its CPU time and wait per CPU this interval, multi-threaded time spread (attribute.ts spreadOverCpus). */
  private smoothGroup(g: GroupSnapshot, placed: { coresByCpu: number[]; waitByCpu: number[] }, alpha: number, interval: number): void {
    const r = g.rates!;
    const ioWait = Math.max(r.blkioDelayRatio, g.processes > 0 ? g.states.disk_sleep / g.processes : 0);
    const now = {
      cores: r.cpuCores,
      wait: r.cpuWaitRatio,
      ioWait,
      ioBytes: r.readBytesPerSecond + r.writeBytesPerSecond,
      faults: r.majorFaultsPerSecond,
    };
    const cpus = g.placement?.cpus ?? [];
    const s = this.groups.get(g.name);
    if (!s) {
      // A new group starts from nothing, and its first interval is left out: it holds its processes'
      // start-up (a runtime starting on a busy host waits a lot), which must not count as a lasting wait.
      this.groups.set(g.name, {
        cores: 0,
        wait: 0,
        ioWait: 0,
        ioBytes: 0,
        faults: 0,
        coresByCpu: [],
        waitByCpu: [],
        cpus,
        multiThreaded: false,
        memoryCgroups: g.controllerCgroups.memory,
        seconds: 0,
      });
      return;
    }
    s.seconds += interval;
    s.cores += alpha * (now.cores - s.cores);
    s.wait += alpha * (now.wait - s.wait);
    s.ioWait += alpha * (now.ioWait - s.ioWait);
    s.ioBytes += alpha * (now.ioBytes - s.ioBytes);
    s.faults += alpha * (now.faults - s.faults);
    s.coresByCpu = smoothArray(s.coresByCpu, placed.coresByCpu, alpha);
    s.waitByCpu = smoothArray(s.waitByCpu, placed.waitByCpu, alpha);
    s.cpus = cpus;
    s.multiThreaded = g.gauges.threads > g.processes;
    s.memoryCgroups = g.controllerCgroups.memory;
  }

  /** Groups that wait enough for `resource`, longest waits first, capped. */
  private victimsOf(resource: ContentionResource): Array<{ group: string; resource: ContentionResource; wait: number }> {
    const c = this.config;
    const before = this.victims.get(resource);
    const out: Array<{ group: string; resource: ContentionResource; wait: number }> = [];
    for (const [group, s] of this.groups) {
      // Its wait is judged over the smoothing window: a group watched for less has no such history yet.
      if (s.seconds < c.smoothing_seconds) continue;
      const was = before?.has(group) ?? false;
      const k = was ? c.victim_hold_ratio : 1;
      const wait = waitOf(s, resource);
      if (resource === 'cpu') {
        if (s.wait >= k * c.cpu_wait_min && wait >= k * c.cpu_wait_share_min) out.push({ group, resource, wait });
      } else if (resource === 'io') {
        // A sampled share (D states) is noisy: a victim leaves only once its wait is clearly below the entry (io_wait_exit).
        if (wait >= (was ? Math.min(c.io_wait_exit, c.io_wait_min) : c.io_wait_min)) out.push({ group, resource, wait });
      } else if (wait >= k * c.memory_major_faults_min) out.push({ group, resource, wait });
    }
    const chosen = out.sort((a, b) => b.wait - a.wait || compareText(a.group, b.group)).slice(0, c.max_victims);
    this.victims.set(resource, new Set(chosen.map((v) => v.group)));
    return chosen;
  }

  /** Every other group's share of the victim's wait with its evidence; the reason when none is strong enough. */
  private attribute(
    resource: ContentionResource,
    v: { group: string; wait: number },
    snapshot: CollectionSnapshot,
    features: FeatureSource,
  ): { candidates: Culprit[]; reason: string } {
    const me = this.groups.get(v.group)!;
    const others = [...this.groups].filter(([name]) => name !== v.group);
    const c = this.config;
    if (resource === 'cpu') {
      const fig = (s: GroupState): CpuFigures => s;
      const a = attributeCpu(
        { name: v.group, figures: fig(me) },
        others.map(([name, s]) => ({ name, figures: fig(s) })),
        this.hostBusy,
      );
      const strong = a.shares.filter((x) => x.cores >= c.cpu_culprit_min_cores);
      const candidates = strong.map((x) => ({
        group: x.group,
        resource,
        share: round(x.share),
        evidence: C.cpu({ waitShare: a.waitShare, cpus: a.cpus, culprit: x.group, cores: x.cores, share: x.share }),
      }));
      return { candidates, reason: cpuReason(a, c.min_share) };
    }
    if (resource === 'io') {
      const disks: DiskFigures[] = [...this.disks].map(([name, d]) => ({ name, bytesPerSecond: d.bytes, busyRatio: d.busy }));
      const a = attributeIo(
        { name: v.group, bytesPerSecond: me.ioBytes },
        others.map(([name, s]) => ({ name, bytesPerSecond: s.ioBytes })),
        disks,
        { diskShareMin: c.io_disk_share_min },
      );
      // A disk with room to spare does not make anyone wait: the wait is then its latency (or unknown without disk counters).
      const busiest = Math.max(0, ...disks.map((d) => d.busyRatio));
      const contended = disks.length === 0 || busiest >= c.io_disk_busy_min;
      const strong = contended ? a.shares.filter((x) => x.bytesPerSecond >= c.io_culprit_min_bytes_per_second) : [];
      const candidates = strong.map((x) => ({
        group: x.group,
        resource,
        share: round(x.share),
        evidence: C.io({
          waitShare: me.ioWait,
          disk: a.disk?.name ?? null,
          diskBusy: a.disk?.busyRatio ?? null,
          culprit: x.group,
          bytesPerSecond: x.bytesPerSecond,
          share: x.share,
        }),
      }));
      let reason: string;
      if (!contended) reason = `the disks are at most ${fmtRatio(busiest)} busy: the wait is the device's own latency, not a neighbour's traffic`;
      else if (a.busyDisks.length > 1)
        reason = `${a.busyDisks.length} disks are busy (${a.busyDisks.map((d) => d.name).join(', ')}): /proc does not say which disk each group uses`;
      else if (a.own >= 0.5) reason = `its own I/O is ${fmtRatio(a.own)} of the disk traffic`;
      else
        reason = a.shares[0]
          ? `the largest share of the disk traffic, ${a.shares[0].group}'s, is ${fmtRatio(a.shares[0].share)} (${fmtBytes(a.shares[0].bytesPerSecond)}/s)`
          : 'no other group reads or writes the disks';
      return { candidates, reason };
    }
    const growth = (name: string): number => {
      const s = features.stats(name, 'memory', GROWTH_WINDOW);
      return s ? Math.max(0, s.last - s.min) : 0;
    };
    const window = features.stats(v.group, 'memory', GROWTH_WINDOW)?.spanSeconds ?? 300;
    const host = snapshot.host;
    const psi = host.rates?.pressureMemorySomeRatio ?? null;
    const hostShort =
      (host.memoryTotalBytes > 0 && host.memoryAvailableBytes / host.memoryTotalBytes < c.memory_low_available_ratio) ||
      (psi !== null && psi >= c.memory_pressure_psi);
    const a = attributeMemory(
      { name: v.group, figures: { grewBytes: growth(v.group), memoryCgroups: me.memoryCgroups } },
      others.map(([name, s]) => ({ name, figures: { grewBytes: growth(name), memoryCgroups: s.memoryCgroups } })),
      { hostShort },
    );
    const strong = a.shares.filter((x) => x.grewBytes >= c.memory_culprit_min_growth_bytes);
    const candidates = strong.map((x) => ({
      group: x.group,
      resource,
      share: round(x.share),
      evidence: C.memory({ faultsPerSecond: me.faults, culprit: x.group, grewBytes: x.grewBytes, windowSeconds: window, cgroup: x.cgroup, share: x.share }),
    }));
    let reason: string;
    if (a.shares[0]) reason = `the largest growth, ${a.shares[0].group}'s, is ${fmtBytes(a.shares[0].grewBytes)} (${fmtRatio(a.shares[0].share)})`;
    else if (hostShort) reason = 'no other group grew';
    else
      reason = a.cgroup
        ? `no group in its memory cgroup (${a.cgroup}) grew, and the host is not short of memory`
        : 'the host is not short of memory and the group has no memory cgroup of its own';
    return { candidates, reason };
  }
}

function cpuReason(a: ReturnType<typeof attributeCpu>, minShare: number): string {
  const best = a.shares[0];
  if (best && best.share >= minShare) return `${best.group} explains ${fmtRatio(best.share)} but uses only ${best.cores.toFixed(2)} cores there`;
  if (a.own >= minShare) return `its own threads hold ${fmtRatio(a.own)} of the CPU time it waits for`;
  if (best) return `the largest share, ${best.group}'s, is ${fmtRatio(best.share)}`;
  return 'the CPUs it waits for are busy with work no group accounts for (kernel, interrupts, steal)';
}

/** How much a group waits for a resource (ContentionVictim.wait): cpu, the share of its runnable time waiting; io, the share of its time on storage; memory, major faults per second. */
function waitOf(s: GroupState, resource: ContentionResource): number {
  if (resource === 'cpu') return s.wait + s.cores > 0 ? s.wait / (s.wait + s.cores) : 0;
  return resource === 'io' ? s.ioWait : s.faults;
}

function keyOf(victim: string, culprit: string, resource: ContentionResource): string {
  return `${victim}\u0000${culprit}\u0000${resource}`;
}

/** Moves `state` towards `next` by `alpha`, element by element (a missing element is 0). */
function smoothArray(state: number[], next: readonly number[], alpha: number): number[] {
  const n = Math.max(state.length, next.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const s = state[i] ?? 0;
    out[i] = s + alpha * ((next[i] ?? 0) - s);
  }
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
