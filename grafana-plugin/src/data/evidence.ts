/**
 * Evidence for the catalog's rationale templates, from what Prometheus holds.
 * The exporter writes its evidence sentences (feature, value, baseline,
 * threshold) to its HTTP API only; its series let the plugin measure most of
 * the same features again. Pure: samples in, evidence out. A feature that
 * cannot be measured renders as "n/a", never as an empty string.
 */
import type { Sample } from '../api/prometheus';
import type { EvidenceSeries } from '../queries/promql';
import { EVIDENCE_SENTENCES as S, type BottleneckKind, type Catalog } from '@procsight/contract';

export interface EvidenceItem {
  feature: string;
  value: number;
  text: string;
}

/** What a missing feature renders as. */
export const NOT_AVAILABLE = 'n/a';

/** Instant samples of each evidence series (see `evidenceQueries`). */
export type EvidenceSamples = Partial<Record<EvidenceSeries, Sample[]>>;

const PLACEHOLDER = /\{\{\s*evidence\.(\w+)\.(?:text|value)\s*\}\}/g;

/** Features a template reads, in order. */
export function templateFeatures(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Features the catalog's templates read for a kind (rationale, steps, expected effect). */
export function featuresOfKind(catalog: Catalog, kind: BottleneckKind): string[] {
  const out = new Set<string>();
  for (const a of catalog.kinds[kind] ?? []) {
    for (const t of [a.rationale, a.expected_effect, ...a.steps]) {
      templateFeatures(t).forEach((f) => out.add(f));
    }
  }
  return [...out];
}

/** Features whose placeholder directly follows another one (`{{a}}{{b}}`): their text needs a separator of its own. */
function gluedFeatures(catalog: Catalog, kind: BottleneckKind): Set<string> {
  const out = new Set<string>();
  for (const a of catalog.kinds[kind] ?? []) {
    for (const t of [a.rationale, a.expected_effect, ...a.steps]) {
      for (const m of t.matchAll(/\}\}\{\{\s*evidence\.(\w+)\./g)) {
        out.add(m[1]);
      }
    }
  }
  return out;
}

/** The series each feature is measured from. */
const FEATURE_SERIES: Record<string, EvidenceSeries[]> = {
  cpu_cores_1m: ['cpu'],
  cpu_wait_share_1m: ['cpu', 'cpuWait'],
  host_run_queue: ['runnable', 'cpus'],
  rss_slope_bytes_per_second: ['rss', 'rssSlope'],
  time_to_host_memory_exhaustion_seconds: ['rssSlope', 'hostAvailable'],
  major_faults_per_second_1m: ['majorFaults'],
  host_memory_pressure_some_ratio: ['memoryPressure', 'hostAvailable'],
  io_bytes_per_second_1m: ['io'],
  io_wait_ratio: ['blkioDelay'],
  context_switches_per_second_1m: ['switches', 'threads'],
  switches_per_cpu_second: ['switches', 'cpu'],
  fd_limit_ratio: ['fdRatio'],
  fd_time_to_limit_seconds: ['fdSlope'],
  thread_growth_5m: ['threads', 'threadsMin5m'],
  container_network_bytes_per_second: ['network'],
};

/** The series to query for bottlenecks of these kinds. */
export function seriesForKinds(catalog: Catalog, kinds: Iterable<BottleneckKind>): EvidenceSeries[] {
  const out = new Set<EvidenceSeries>();
  for (const k of kinds) {
    for (const f of featuresOfKind(catalog, k)) {
      (FEATURE_SERIES[f] ?? []).forEach((s) => out.add(s));
    }
  }
  return [...out];
}

/**
 * Evidence of one bottleneck (host, group, kind): every feature its kind's
 * templates read, measured from the samples, or "n/a" when the series are
 * missing. Feature names match the exporter's rules.
 */
export function evidenceFor(
  catalog: Catalog,
  kind: BottleneckKind,
  host: string,
  group: string,
  samples: EvidenceSamples,
  instanceLabel = 'instance'
): EvidenceItem[] {
  const val = (series: EvidenceSeries, extra: Record<string, string> = {}): number | null => {
    const hit = (samples[series] ?? []).find(
      (x) =>
        x.metric[instanceLabel] === host &&
        (x.metric.group === undefined || x.metric.group === group) &&
        Object.entries(extra).every(([k, v]) => x.metric[k] === v)
    );
    return hit && Number.isFinite(hit.value) ? hit.value : null;
  };
  const measure: Record<string, () => EvidenceItem | null> = {
    cpu_cores_1m: () => {
      const c = val('cpu');
      return c === null
        ? null
        : { feature: 'cpu_cores_1m', value: c, text: S.cpu_cores_1m({ cores: c, window: '2-min' }) };
    },
    cpu_wait_share_1m: () => {
      const c = val('cpu');
      const w = val('cpuWait');
      if (c === null || w === null || c + w <= 0) {
        return null;
      }
      const share = w / (w + c);
      return {
        feature: 'cpu_wait_share_1m',
        value: share,
        text: S.cpu_wait_share_1m({ share, waitSeconds: w, cores: c }),
      };
    },
    host_run_queue: () => {
      const r = val('runnable');
      const n = val('cpus');
      return r === null || n === null
        ? null
        : { feature: 'host_run_queue', value: r, text: S.host_cpu_pressure_ratio({ runnable: r, cpus: n }) };
    },
    rss_slope_bytes_per_second: () => {
      const slope = val('rssSlope');
      const now = val('rss');
      if (slope === null || now === null) {
        return null;
      }
      return {
        feature: 'rss_slope_bytes_per_second',
        value: slope,
        text: S.rss_slope_bytes_per_second({ bytesPerSecond: slope, fit: '10-min linear fit', now }),
      };
    },
    time_to_host_memory_exhaustion_seconds: () => {
      const slope = val('rssSlope');
      const avail = val('hostAvailable');
      if (slope === null || avail === null || slope <= 0) {
        return null;
      }
      const tte = avail / slope;
      return {
        feature: 'time_to_host_memory_exhaustion_seconds',
        value: tte,
        text: S.time_to_host_memory_exhaustion_seconds({ seconds: tte, available: avail }),
      };
    },
    major_faults_per_second_1m: () => {
      const f = val('majorFaults');
      return f === null
        ? null
        : { feature: 'major_faults_per_second_1m', value: f, text: S.major_faults_per_second_1m({ perSecond: f }) };
    },
    host_memory_pressure_some_ratio: () => {
      const p = val('memoryPressure');
      const avail = val('hostAvailable');
      if (p === null && avail === null) {
        return null;
      }
      return {
        feature: 'host_memory_pressure_some_ratio',
        value: p ?? 0,
        text: S.host_memory_pressure_some_ratio({ pressure: p, available: avail }),
      };
    },
    io_bytes_per_second_1m: () => {
      const r = val('io', { direction: 'read' });
      const w = val('io', { direction: 'write' });
      if (r === null && w === null) {
        return null;
      }
      const total = (r ?? 0) + (w ?? 0);
      return {
        feature: 'io_bytes_per_second_1m',
        value: total,
        text: S.io_bytes_per_second_1m({ total, read: r, write: w }),
      };
    },
    io_wait_ratio: () => {
      const d = val('blkioDelay');
      return d === null
        ? null
        : {
            feature: 'io_wait_ratio',
            value: d,
            text: S.io_wait_ratio({ what: 'block-I/O delay of the group', ratio: d }),
          };
    },
    context_switches_per_second_1m: () => {
      const sw = val('switches');
      const t = val('threads');
      return sw === null
        ? null
        : {
            feature: 'context_switches_per_second_1m',
            value: sw,
            text: S.context_switches_per_second_1m({ perSecond: sw, threads: t }),
          };
    },
    switches_per_cpu_second: () => {
      const sw = val('switches');
      const c = val('cpu');
      if (sw === null || c === null) {
        return null;
      }
      const perCpu = sw / Math.max(c, 0.01);
      return {
        feature: 'switches_per_cpu_second',
        value: perCpu,
        text: S.switches_per_cpu_second({ perCpuSecond: perCpu, cores: c }),
      };
    },
    fd_limit_ratio: () => {
      const r = val('fdRatio');
      return r === null ? null : { feature: 'fd_limit_ratio', value: r, text: S.fd_limit_ratio({ ratio: r }) };
    },
    fd_time_to_limit_seconds: () => {
      const slope = val('fdSlope');
      if (slope === null) {
        return null;
      }
      // Time to the limit needs each process's limit, which only the exporter has; the trend is what the series hold.
      return {
        feature: 'fd_time_to_limit_seconds',
        value: slope,
        text: S.fd_time_to_limit_seconds({ perSecond: slope, fit: '5-min linear fit' }),
      };
    },
    thread_growth_5m: () => {
      const now = val('threads');
      const base = val('threadsMin5m');
      if (now === null || base === null) {
        return null;
      }
      const growth = (now - Math.max(1, base)) / Math.max(1, base);
      return {
        feature: 'thread_growth_5m',
        value: growth,
        text: S.thread_growth_5m({ from: base, to: now, growth, spanSeconds: 300 }),
      };
    },
    container_network_bytes_per_second: () => {
      const n = val('network');
      return n === null
        ? null
        : {
            feature: 'container_network_bytes_per_second',
            value: n,
            text: S.container_network_bytes_per_second({ bytesPerSecond: n }),
          };
    },
  };
  const glued = gluedFeatures(catalog, kind);
  return featuresOfKind(catalog, kind).map((f) => {
    const m = measure[f]?.() ?? { feature: f, value: Number.NaN, text: NOT_AVAILABLE };
    return glued.has(f) ? { ...m, text: `; ${m.text}` } : m;
  });
}
