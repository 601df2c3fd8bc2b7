/**
 * What the exported scores and the alert rules make of benign groups: the
 * exporter's anomaly engine (every signal of every group, the shipped
 * detector) over synthetic groups without anomalies at 15 s for 7 days —
 * steady, with rare spikes, with a daily wave; noisy CPU, context switches
 * and I/O, memory with a slow wander, threads and fds that move by one now
 * and then, rare major faults. Counts per group-day (after the first day):
 * episodes of a signal at or above the threshold, of the combined score at
 * or above it, of the combined score held for 15 minutes
 * (ProcsightAnomalousGroup) and of memory above its band for 30 minutes
 * (ProcsightMemoryAboveBand). `npx tsx eval/anomaly/explore/alert-rate.ts`
 * (about a minute here).
 */
import { AnomalyEngine } from '../../../exporter/src/analyse/anomaly/engine';
import { anomalyConfigSchema } from '../../../exporter/src/analyse/anomaly/config';
import { collectionSnapshot, groupSnapshot, hostSnapshot } from '../../../test/helpers/synthetic';
import { ANOMALY_THRESHOLD } from '@procsight/contract';
import { rng, gauss } from '../../../test/helpers/random';

const T0 = Date.UTC(2026, 0, 5);
const H = 3_600_000;
const DAYS = 7;
const STEP = 15_000;
const KINDS = ['steady', 'spiky', 'daily'] as const;
const SEEDS = 4;

interface Walk {
  ar: number;
  mem: number;
  threads: number;
  fds: number;
}

const groups = KINDS.flatMap((kind) =>
  Array.from({ length: SEEDS }, (_, i) => ({ name: `${kind}-${i}`, kind, r: rng(1000 * i + kind.length), w: { ar: 0, mem: 0, threads: 12, fds: 80 } as Walk })),
);

function sample(g: (typeof groups)[number], t: number) {
  const { r, w } = g;
  w.ar = 0.95 * w.ar + 0.1 * gauss(r);
  w.mem = 0.999 * w.mem + 0.02 * gauss(r);
  if (r() < 0.002) w.threads += r() < 0.5 ? -1 : 1;
  if (r() < 0.004) w.fds += r() < 0.5 ? -1 : 1;
  w.threads = Math.max(8, Math.min(16, w.threads));
  w.fds = Math.max(70, Math.min(90, w.fds));
  const daily = g.kind === 'daily' ? Math.sin((2 * Math.PI * ((t / H) % 24)) / 24) ** 2 : 0;
  const spike = g.kind === 'spiky' && r() < 0.01 ? r() : 0;
  return groupSnapshot(g.name, {
    rates: {
      cpuCores: Math.max(0, 0.3 + 0.05 * w.ar + 0.01 * gauss(r) + 0.4 * daily + 0.3 * spike),
      voluntaryCtxSwitchesPerSecond: Math.max(0, 800 + 80 * w.ar + 30 * gauss(r) + 1000 * daily),
      readBytesPerSecond: Math.max(0, 2e5 * (1 + 0.5 * gauss(r)) + 5e5 * daily),
      writeBytesPerSecond: Math.max(0, 5e5 * (1 + 0.4 * gauss(r)) + 1e6 * spike),
      cpuWaitRatio: Math.max(0, 0.01 + 0.003 * w.ar + 0.001 * gauss(r)),
      majorFaultsPerSecond: r() < 0.01 ? Math.ceil(3 * r()) : 0,
    },
    gauges: { rssBytes: 3e8 * (1 + 0.05 * w.mem) + 2e6 * gauss(r), threads: w.threads, openFds: w.fds },
    firstSeenMs: T0,
  });
}

const engine = new AnomalyEngine(anomalyConfigSchema.parse({}));
const host = hostSnapshot({ cpus: 8 });
const counts = { signal: 0, combined: 0, combinedFor15m: 0, combinedFor30m: 0, combinedFor60m: 0, memoryAboveBandFor30m: 0 };
const bySignal = new Map<string, number>();
const since = new Map<string, number>();
/** Counts an episode of `cond` starting (and, with `forMs`, once it has lasted that long). */
function episode(key: string, cond: boolean, t: number, forMs: number, count: () => void): void {
  const start = since.get(key);
  if (!cond) {
    since.delete(key);
    return;
  }
  if (start === undefined) {
    since.set(key, t);
    if (forMs === 0) count();
  } else if (forMs > 0 && t - start >= forMs && t - STEP - start < forMs) count();
}

const t0 = performance.now();
for (let t = T0; t < T0 + DAYS * 24 * H; t += STEP) {
  const snaps = groups.map((g) => sample(g, t));
  const out = engine.ingest(collectionSnapshot(snaps, { timestampMs: t, intervalSeconds: STEP / 1000, host }));
  if (t < T0 + 24 * H) continue;
  for (const a of out.scores) {
    const hot = (a.score ?? 0) >= ANOMALY_THRESHOLD;
    if (a.signal === 'combined') {
      episode(`${a.group}/combined`, hot, t, 0, () => counts.combined++);
      episode(`${a.group}/combined15`, hot, t, 15 * 60_000, () => counts.combinedFor15m++);
      episode(`${a.group}/combined30`, hot, t, 30 * 60_000, () => counts.combinedFor30m++);
      episode(`${a.group}/combined60`, hot, t, 60 * 60_000, () => counts.combinedFor60m++);
    } else if (a.signal !== 'novelty')
      episode(`${a.group}/${a.signal}`, hot, t, 0, () => {
        counts.signal++;
        bySignal.set(a.signal, (bySignal.get(a.signal) ?? 0) + 1);
      });
  }
  for (const s of snaps) {
    const band = out.bands.find((b) => b.group === s.name && b.signal === 'memory');
    episode(`${s.name}/memory-band`, band !== undefined && s.gauges.rssBytes > band.upper, t, 30 * 60_000, () => counts.memoryAboveBandFor30m++);
  }
}
const groupDays = groups.length * (DAYS - 1);
const per = (x: number): string => (x / groupDays).toFixed(3);
console.log(
  `${groups.length} benign groups × ${DAYS - 1} days after the first (9 signals each, 15 s steps), ${((performance.now() - t0) / 1000).toFixed(0)} s:`,
);
console.log(
  `  signal episodes at or above ${ANOMALY_THRESHOLD}: ${per(counts.signal)} per group-day (${(counts.signal / groupDays / 9).toFixed(3)} per series-day)`,
);
console.log(`  combined score at or above it: ${per(counts.combined)} per group-day`);
console.log(`  by signal: ${[...bySignal].map(([k, v]) => `${k} ${per(v)}`).join(', ')}`);
console.log(
  `  combined held for 15 min (ProcsightAnomalousGroup): ${per(counts.combinedFor15m)} per group-day; for 30 min ${per(counts.combinedFor30m)}; for 60 min ${per(counts.combinedFor60m)}`,
);
console.log(`  memory above its band for 30 min (ProcsightMemoryAboveBand): ${per(counts.memoryAboveBandFor30m)} per group-day`);
