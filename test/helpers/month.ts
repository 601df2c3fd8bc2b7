import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startPrometheus, requireBinary, type RunningServer } from './prometheus';

/**
 * A month of procsight series for two hosts, as Prometheus would have
 * scraped them (5-minute points to keep the backfill under a minute), with
 * the exporter's metric names and label sets (docs/metrics.md) plus the
 * `job`, `instance` and `up` that Prometheus adds. A subset of the series:
 * the ones the command line reads (one memory type, the combined anomaly
 * score, no per-process or PSI series). Deterministic: a seeded generator
 * and a fixed end, so the commands' output can be compared with golden files.
 *
 * What happens in the month:
 * - daily cycles (peak at 16:00 UTC, quieter weekends) in every busy group;
 * - web-1 (4 cores, 16 GiB): `api` grows 45 MiB a day, has a CPU incident
 *   3 days before the end (14:00 UTC, 100 min at 3.6 cores: cpu_saturation,
 *   anomaly); the exporter is down for an hour 4 days before the end (up=0,
 *   no series, counters restart); the host collector fails for 30 minutes the
 *   day before the end; `nginx` has a short anomaly 2 days before the end;
 * - db-1 (8 cores, 32 GiB): `postgres` grows 190 MiB a day, so the host ends
 *   near its memory limit; `conn-pool`'s fds creep up 1.5 points of its limit
 *   a day and leak fast in the last 3 hours (fd_exhaustion, a forecast
 *   crossing within the hour, an anomaly still going at the end); `backup`
 *   runs every night, io_bound on three nights.
 */
export const MONTH_END_MS = Date.UTC(2026, 10, 30);
const MONTH_DAYS = 30;
const STEP_SECONDS = 300;
const JOB = 'procsight';
export const WEB = 'web-1:9556';
export const DB = 'db-1:9556';
const SEED = 22;

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const DAY = 86_400;
const END = MONTH_END_MS / 1000;
const START = END - MONTH_DAYS * DAY;

/** Incidents and events, in unix seconds. */
export const EVENTS = {
  apiIncident: { start: END - 3 * DAY + 14 * 3600, end: END - 3 * DAY + 14 * 3600 + 100 * 60 },
  webOutage: { start: END - 4 * DAY + 9 * 3600, end: END - 4 * DAY + 10 * 3600 },
  hostCollectorFailure: { start: END - DAY + 11 * 3600, end: END - DAY + 11 * 3600 + 30 * 60 },
  nginxAnomaly: { start: END - 2 * DAY + 20 * 3600, end: END - 2 * DAY + 20 * 3600 + 15 * 60 },
  fdLeak: { start: END - 3 * 3600, end: END },
  ioBoundNights: [END - DAY, END - 5 * DAY, END - 12 * DAY],
};

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Labels = Record<string, string>;

interface Family {
  name: string;
  type: 'gauge' | 'counter';
  series: Map<string, { labels: Labels; values: Float64Array }>;
}

const TICKS = (MONTH_DAYS * DAY) / STEP_SECONDS + 1;

class Store {
  readonly families = new Map<string, Family>();

  /** Sets a gauge (or a counter's rate, integrated later) at tick i; NaN leaves the sample out. */
  set(name: string, type: Family['type'], labels: Labels, i: number, v: number): void {
    let f = this.families.get(name);
    if (!f) {
      f = { name, type, series: new Map() };
      this.families.set(name, f);
    }
    const key = Object.entries(labels)
      .map(([k, x]) => `${k}=${x}`)
      .join(',');
    let s = f.series.get(key);
    if (!s) {
      s = { labels, values: new Float64Array(TICKS).fill(NaN) };
      f.series.set(key, s);
    }
    s.values[i] = v;
  }
}

const inWindow = (t: number, w: { start: number; end: number }): boolean => t >= w.start && t < w.end;
const hourOf = (t: number): number => (t % DAY) / 3600;
/** 0 at 04:00 UTC, 1 at 16:00 UTC; weekends at 60 %. */
function load(t: number): number {
  const dow = new Date(t * 1000).getUTCDay();
  return (0.5 - 0.5 * Math.cos((2 * Math.PI * (hourOf(t) - 4)) / 24)) * (dow === 0 || dow === 6 ? 0.6 : 1);
}
const nightly = (t: number, fromHour: number, toHour: number): boolean => hourOf(t) >= fromHour && hourOf(t) < toHour;

interface GroupState {
  cpu: number;
  rss: number;
  threads: number;
  fds: number;
  fdRatio: number;
  processes: number;
  readRate: number;
  writeRate: number;
  anomaly: number;
}

interface Bottleneck {
  kind: string;
  severity: number;
  confidence: number;
  evidence: Array<{ feature: string; unit: string; value: number; threshold: number; baseline: number | null }>;
  suggestions: Array<[string, number]>;
}

/** Generates the month into a Store. */
function generateMonth(seed = SEED): Store {
  const rnd = mulberry32(seed);
  const gauss = (sd: number): number => sd * Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const store = new Store();
  const counters = new Map<string, number>();

  for (const host of [WEB, DB]) {
    const cpus = host === WEB ? 4 : 8;
    const total = host === WEB ? 16 * GiB : 32 * GiB;
    const hostname = host === WEB ? 'web-1' : 'db-1';
    let fdBottleneck = false;
    for (let i = 0; i < TICKS; i++) {
      const t = START + i * STEP_SECONDS;
      const d = (t - START) / DAY;
      const L = load(t);
      const base = { job: JOB, instance: host };
      const down = host === WEB && inWindow(t, EVENTS.webOutage);
      store.set('up', 'gauge', base, i, down ? 0 : 1);
      if (down) {
        // The exporter restarts after the outage: its counters start again from 0.
        for (const k of [...counters.keys()]) if (k.startsWith(host)) counters.delete(k);
        continue;
      }
      const groups = new Map<string, GroupState>();
      const bottlenecks = new Map<string, Bottleneck>();
      const anomalyBase = (): number => Math.min(0.5, Math.max(0.02, 0.2 + gauss(0.08))); // below the anomaly threshold (0.6)
      let iowait = 0.03 * cpus * 0.1;
      if (host === WEB) {
        const incident = inWindow(t, EVENTS.apiIncident);
        const cronJob = nightly(t, 2, 2 + 20 / 60);
        groups.set('nginx', {
          cpu: Math.max(0.02, 0.1 + 0.9 * L + gauss(0.04)),
          rss: 180 * MiB + 10 * MiB * L + gauss(2 * MiB),
          threads: 9,
          fds: Math.round(400 + 150 * L + gauss(10)),
          fdRatio: 0,
          processes: 5,
          readRate: 50 * 1024 * L,
          writeRate: 300 * 1024 * L + Math.abs(gauss(20 * 1024)),
          anomaly: inWindow(t, EVENTS.nginxAnomaly) ? 0.93 : anomalyBase(),
        });
        groups.set('api', {
          cpu: incident ? 3.6 + gauss(0.05) : Math.max(0.05, 0.25 + 1.3 * L + gauss(0.06)),
          rss: 900 * MiB + 45 * MiB * d + 40 * MiB * L + gauss(5 * MiB) + (incident ? 150 * MiB : 0),
          threads: incident ? 64 : 48,
          fds: Math.round(300 + 100 * L + gauss(8)),
          fdRatio: 0,
          processes: 4,
          readRate: 20 * 1024,
          writeRate: 500 * 1024 * L,
          anomaly: incident ? 0.97 + 0.02 * rnd() : anomalyBase(),
        });
        groups.set('cron', {
          cpu: cronJob ? 0.8 + gauss(0.05) : 0.01,
          rss: cronJob ? 120 * MiB : 40 * MiB,
          threads: cronJob ? 3 : 1,
          fds: cronJob ? 20 : 8,
          fdRatio: 0,
          processes: cronJob ? 3 : 1,
          readRate: cronJob ? 2 * MiB : 0,
          writeRate: cronJob ? 6 * MiB : 0,
          anomaly: anomalyBase(),
        });
        if (cronJob) iowait += 0.2;
        if (incident && t >= EVENTS.apiIncident.start + 300) {
          const busy = 0.12 + [...groups.values()].reduce((a, g) => a + g.cpu, 0);
          const sev = Math.min(1, 0.92 + gauss(0.01));
          bottlenecks.set('api', {
            kind: 'cpu_saturation',
            severity: sev,
            confidence: 0.95,
            evidence: [
              { feature: 'cpu_cores_1m', unit: 'cores', value: groups.get('api')?.cpu ?? 0, threshold: 0.85, baseline: 1.1 },
              { feature: 'host_cpu_busy_ratio', unit: 'ratio', value: Math.min(1, busy / cpus), threshold: 0, baseline: 0.35 },
            ],
            suggestions: [
              ['cpu_saturation.profile_hot_path', 0.8 * sev],
              ['cpu_saturation.scale_out', 0.6 * sev],
            ],
          });
        }
      } else {
        const backup = nightly(t, 1, 2.5);
        const ioBound = backup && EVENTS.ioBoundNights.some((n) => t >= n + 80 * 60 && t < n + 135 * 60);
        const leak = inWindow(t, EVENTS.fdLeak) || t === END;
        const ratio = leak ? 0.8 + (0.16 * (t - EVENTS.fdLeak.start)) / (EVENTS.fdLeak.end - EVENTS.fdLeak.start) : 0.3 + 0.015 * d + 0.02 * L + gauss(0.003);
        groups.set('postgres', {
          cpu: Math.max(0.1, 0.6 + 2.4 * L + gauss(0.1)),
          rss: 21 * GiB + 190 * MiB * d + 200 * MiB * L + gauss(20 * MiB),
          threads: 34,
          fds: Math.round(260 + 80 * L + gauss(6)),
          fdRatio: 0.02 + 0.01 * L,
          processes: 34,
          readRate: 2 * MiB * L + 0.2 * MiB + (backup ? 8 * MiB : 0),
          writeRate: MiB * L + 0.1 * MiB,
          anomaly: anomalyBase(),
        });
        groups.set('conn-pool', {
          cpu: Math.max(0.02, 0.05 + 0.25 * L + gauss(0.02)),
          rss: 120 * MiB + gauss(2 * MiB),
          threads: 4,
          fds: Math.round(ratio * 4096),
          fdRatio: ratio,
          processes: 1,
          readRate: 0,
          writeRate: 4 * 1024,
          anomaly: leak ? Math.min(0.99, 0.4 + 0.6 * ((t - EVENTS.fdLeak.start) / (EVENTS.fdLeak.end - EVENTS.fdLeak.start))) : anomalyBase(),
        });
        groups.set('backup', {
          cpu: backup ? 0.7 + gauss(0.05) : 0.02,
          rss: backup ? 180 * MiB : 60 * MiB,
          threads: backup ? 8 : 2,
          fds: backup ? 40 : 10,
          fdRatio: backup ? 0.04 : 0.01,
          processes: 1,
          readRate: backup ? 30 * MiB : 0,
          writeRate: backup ? 25 * MiB : 0,
          anomaly: anomalyBase(),
        });
        iowait = backup ? (ioBound ? 2.8 : 0.6) : 0.05;
        // fd_exhaustion with the exporter's band: on at ratio 0.8, off below 0.75.
        fdBottleneck = fdBottleneck ? ratio >= 0.75 : ratio >= 0.8;
        if (fdBottleneck) {
          const slopePerSecond = 0.16 / (EVENTS.fdLeak.end - EVENTS.fdLeak.start);
          bottlenecks.set('conn-pool', {
            kind: 'fd_exhaustion',
            severity: Math.min(1, ratio),
            confidence: 0.9,
            evidence: [
              { feature: 'fd_limit_ratio', unit: 'ratio', value: ratio, threshold: 0.8, baseline: 0.76 },
              ...(leak ? [{ feature: 'fd_time_to_limit_seconds', unit: 'seconds', value: (1 - ratio) / slopePerSecond, threshold: 3600, baseline: null }] : []),
            ],
            suggestions: [
              ['fd_exhaustion.find_leaked_fds', 0.72],
              ['fd_exhaustion.raise_limit', 0.5],
            ],
          });
        }
        if (leak && t >= EVENTS.fdLeak.start + 600) {
          const slope = 0.16 / (EVENTS.fdLeak.end - EVENTS.fdLeak.start);
          const mean = (1 - ratio) / slope;
          const fl = { ...base, group: 'conn-pool', resource: 'fds', limit: 'fd_limit' };
          store.set('procsight_forecast_exhaustion_seconds', 'gauge', { ...fl, bound: 'mean' }, i, Math.round(mean));
          store.set('procsight_forecast_exhaustion_seconds', 'gauge', { ...fl, bound: 'earliest' }, i, Math.round(mean * 0.67));
        }
        if (ioBound) {
          const io = 55 * MiB + gauss(MiB);
          bottlenecks.set('backup', {
            kind: 'io_bound',
            severity: 0.78 + gauss(0.02),
            confidence: 0.85,
            evidence: [
              { feature: 'io_bytes_per_second_1m', unit: 'bytes/s', value: io, threshold: MiB, baseline: 2 * MiB },
              { feature: 'io_wait_ratio', unit: 'ratio', value: 0.35, threshold: 0.1, baseline: 0.03 },
            ],
            suggestions: [
              ['io_bound.find_hot_files', 0.62],
              ['io_bound.ionice', 0.47],
            ],
          });
        }
      }

      // Host CPU by mode (cores, integrated into counters below) and memory.
      const groupCpu = [...groups.values()].reduce((a, g) => a + g.cpu, 0);
      const busy = Math.min(cpus - iowait, groupCpu + (host === WEB ? 0.12 : 0.3) + Math.abs(gauss(0.02)));
      const modes: Record<string, number> = {
        user: 0.7 * busy,
        nice: 0,
        system: 0.25 * busy,
        idle: cpus - busy - iowait,
        iowait,
        irq: 0,
        softirq: 0.05 * busy,
        steal: 0,
      };
      for (const [mode, rate] of Object.entries(modes)) counter(store, counters, 'procsight_host_cpu_seconds', { ...base, mode }, i, rate);
      const rssSum = [...groups.values()].reduce((a, g) => a + g.rss, 0);
      const available = total - rssSum - (host === WEB ? 2.5 * GiB : 4.2 * GiB) - Math.abs(gauss(40 * MiB));
      for (const [type, v] of Object.entries({ total, available, swap_total: 0, swap_free: 0 }))
        store.set('procsight_host_memory_bytes', 'gauge', { ...base, type }, i, Math.round(v));
      store.set('procsight_host_cpus', 'gauge', base, i, cpus);
      store.set(
        'procsight_host_info',
        'gauge',
        {
          ...base,
          cpu_model: 'AMD EPYC 7B13',
          cores: String(cpus),
          memory_bytes: String(total),
          os: 'Debian GNU/Linux 12',
          kernel: '6.1.0-27-amd64',
          hostname,
        },
        i,
        1,
      );
      store.set('procsight_build_info', 'gauge', { ...base, version: '0.1.0', node_version: 'v20.20.2', platform: 'linux' }, i, 1);
      store.set('procsight_last_collect_timestamp_seconds', 'gauge', base, i, t - 1.3);
      for (const collector of ['processes', 'netdev', 'host']) {
        const failed = host === WEB && collector === 'host' && inWindow(t, EVENTS.hostCollectorFailure);
        store.set('procsight_scrape_collector_success', 'gauge', { ...base, collector }, i, failed ? 0 : 1);
      }

      for (const [group, g] of groups) {
        const gl = { ...base, group };
        counter(store, counters, 'procsight_group_cpu_seconds', { ...gl, mode: 'user' }, i, 0.8 * g.cpu);
        counter(store, counters, 'procsight_group_cpu_seconds', { ...gl, mode: 'system' }, i, 0.2 * g.cpu);
        counter(store, counters, 'procsight_group_io_bytes', { ...gl, direction: 'read' }, i, g.readRate);
        counter(store, counters, 'procsight_group_io_bytes', { ...gl, direction: 'write' }, i, g.writeRate);
        store.set('procsight_group_memory_bytes', 'gauge', { ...gl, type: 'resident' }, i, Math.round(g.rss));
        store.set('procsight_group_threads', 'gauge', gl, i, g.threads);
        store.set('procsight_group_open_fds', 'gauge', gl, i, g.fds);
        store.set('procsight_group_fd_limit_ratio', 'gauge', gl, i, Number(g.fdRatio.toFixed(5)));
        store.set('procsight_group_processes', 'gauge', gl, i, g.processes);
        store.set('procsight_anomaly_score', 'gauge', { ...gl, signal: 'combined' }, i, Number(g.anomaly.toFixed(4)));
      }
      for (const [group, b] of bottlenecks) {
        const bl = { ...base, group, kind: b.kind };
        store.set('procsight_bottleneck', 'gauge', bl, i, Number(b.severity.toFixed(4)));
        store.set('procsight_bottleneck_confidence', 'gauge', bl, i, b.confidence);
        for (const e of b.evidence) {
          const el = { ...bl, feature: e.feature, unit: e.unit };
          store.set('procsight_bottleneck_evidence', 'gauge', el, i, Number(e.value.toPrecision(6)));
          store.set('procsight_bottleneck_evidence_threshold', 'gauge', el, i, e.threshold);
          if (e.baseline !== null) store.set('procsight_bottleneck_evidence_baseline', 'gauge', el, i, e.baseline);
        }
        for (const [action, score] of b.suggestions) store.set('procsight_suggestion', 'gauge', { ...bl, action }, i, Number(score.toFixed(4)));
      }
    }
  }
  return store;
}

/** Integrates a rate (per second) into a counter sample: the counter's value at tick i. */
function counter(store: Store, counters: Map<string, number>, family: string, labels: Labels, i: number, ratePerSecond: number): void {
  const key = `${labels.instance}\u0000${family}\u0000${Object.values(labels).join(',')}`;
  const v = (counters.get(key) ?? 0) + Math.max(0, ratePerSecond) * STEP_SECONDS;
  counters.set(key, v);
  store.set(family, 'counter', labels, i, v);
}

/** Writes the store as OpenMetrics (each family's samples together, `# EOF` last). */
function writeOpenMetrics(store: Store, file: string): number {
  const fd = openSync(file, 'w');
  let buf: string[] = [];
  let size = 0;
  let samples = 0;
  const flush = (): void => {
    writeSync(fd, buf.join(''));
    buf = [];
    size = 0;
  };
  const push = (line: string): void => {
    buf.push(line);
    size += line.length;
    if (size > 1 << 20) flush();
  };
  try {
    for (const f of store.families.values()) {
      push(`# TYPE ${f.name} ${f.type}\n`);
      const sampleName = f.type === 'counter' ? `${f.name}_total` : f.name;
      for (const s of f.series.values()) {
        const labels = Object.entries(s.labels)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',');
        for (let i = 0; i < TICKS; i++) {
          const v = s.values[i];
          if (Number.isNaN(v)) continue;
          push(`${sampleName}{${labels}} ${Number.isInteger(v) ? v : Number(v.toPrecision(10))} ${START + i * STEP_SECONDS}\n`);
          samples++;
        }
      }
    }
    push('# EOF\n');
    flush();
  } finally {
    closeSync(fd);
  }
  return samples;
}

export interface MonthPrometheus {
  prometheus: RunningServer;
  samples: number;
  /** Seconds promtool took to write the blocks. */
  backfillSeconds: number;
  stop(): Promise<void>;
}

/**
 * The month in a real Prometheus: generated, written as OpenMetrics, turned
 * into 24-hour TSDB blocks by promtool, and served by a Prometheus on
 * 127.0.0.1 (random port, 60-day retention, nothing scraped).
 */
export async function startMonthPrometheus(opts: { seed?: number; args?: string[] } = {}): Promise<MonthPrometheus> {
  requireBinary('promtool');
  const work = mkdtempSync(join(tmpdir(), 'procsight-month-'));
  try {
    const file = join(work, 'month.om');
    const samples = writeOpenMetrics(generateMonth(opts.seed), file);
    const t0 = Date.now();
    await promisify(execFile)('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', file, join(work, 'data')], {
      timeout: 120_000,
      maxBuffer: 16 * MiB,
    });
    const backfillSeconds = (Date.now() - t0) / 1000;
    rmSync(file);
    const prometheus = await startPrometheus({ config: 'global:\n  scrape_interval: 15s\n', dataDir: join(work, 'data'), retention: '60d', args: opts.args });
    return {
      prometheus,
      samples,
      backfillSeconds,
      async stop() {
        await prometheus.stop();
        rmSync(work, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
}
