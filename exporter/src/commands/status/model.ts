/**
 * The status check's result and how it is graded (Nagios levels: the exit
 * code is 0 OK, 1 WARNING, 2 CRITICAL; 3 UNKNOWN when no check was possible).
 */
export type Level = 'OK' | 'WARNING' | 'CRITICAL';

const EXIT_CODE: Record<Level, number> = { OK: 0, WARNING: 1, CRITICAL: 2 };
const ORDER: readonly Level[] = ['OK', 'WARNING', 'CRITICAL'];

export const STATUS_RULES = {
  /** The check looks at the last 5 minutes (Prometheus's lookback; the exporter's current analysis). */
  windowSeconds: 300,
  /** An active bottleneck is WARNING; from this severity CRITICAL. */
  criticalSeverity: 0.9,
  /** Kinds that are CRITICAL whatever their severity: P1 (critical) in alert-rules/ (fds run out: connections fail). */
  criticalKinds: ['fd_exhaustion'] as readonly string[],
  /** A forecast crossing within this many seconds is listed: CRITICAL when the mean path crosses, WARNING when only the pessimistic bound does. */
  exhaustionWithinSeconds: 3_600,
  /** No finished collection for this long: WARNING (as the ProcsightCollectionStalled alert). */
  stalledCollectionSeconds: 120,
  /** Prometheus: hosts that exported procsight series within this look-back are checked (a host down for longer is not found). */
  hostLookbackSeconds: 3_600,
  /** Prometheus: how far back the start of an active bottleneck is searched. */
  sinceLookbackSeconds: 6 * 3_600,
} as const;

function worst(levels: readonly Level[]): Level {
  return levels.reduce<Level>((w, l) => (ORDER.indexOf(l) > ORDER.indexOf(w) ? l : w), 'OK');
}

export function bottleneckLevel(kind: string, severity: number): Level {
  return STATUS_RULES.criticalKinds.includes(kind) || severity >= STATUS_RULES.criticalSeverity ? 'CRITICAL' : 'WARNING';
}

export interface StatusEvidence {
  feature: string;
  value: number;
  /** Null when Prometheus holds no threshold series for the feature. */
  threshold: number | null;
  baseline: number | null;
  unit: string;
  text: string;
}

interface StatusAction {
  id: string;
  title: string;
  first_step: string | null;
}

export interface StatusBottleneck {
  group: string;
  kind: string;
  level: Level;
  severity: number;
  confidence: number | null;
  since: string | null;
  evidence: StatusEvidence[];
  action: StatusAction | null;
}

export interface StatusExhaustion {
  group: string;
  resource: string;
  limit: string;
  /** `mean`: the forecast's expected path crosses; `earliest`: only its pessimistic bound does. */
  bound: 'mean' | 'earliest';
  seconds: number;
  level: Level;
}

export interface HostStatus {
  instance: string;
  hostname: string | null;
  status: Level;
  /** Why the host has its level, one short phrase each. */
  reasons: string[];
  /** Prometheus: the last scrape succeeded; null when asking the exporter directly. */
  up: boolean | null;
  last_collect_age_seconds: number | null;
  bottlenecks: StatusBottleneck[];
  exhaustion: StatusExhaustion[];
}

export interface StatusResult {
  status: Level;
  exit_code: number;
  checked_at: string;
  source: { kind: 'exporter' | 'prometheus'; urls: string[] };
  window_seconds: number;
  hosts: HostStatus[];
}

/** Sorts, grades and explains one host from what was found. */
export function gradeHost(h: Omit<HostStatus, 'status' | 'reasons'>): HostStatus {
  const reasons: string[] = [];
  const levels: Level[] = [];
  if (h.up === false) {
    levels.push('CRITICAL');
    reasons.push('not scraped in the last 5 minutes');
  }
  if (h.last_collect_age_seconds !== null && h.last_collect_age_seconds > STATUS_RULES.stalledCollectionSeconds) {
    levels.push('WARNING');
    reasons.push('collection stalled');
  }
  const bottlenecks = [...h.bottlenecks].sort(
    (a, b) => ORDER.indexOf(b.level) - ORDER.indexOf(a.level) || b.severity - a.severity || a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind),
  );
  const exhaustion = [...h.exhaustion].sort(
    (a, b) => ORDER.indexOf(b.level) - ORDER.indexOf(a.level) || a.seconds - b.seconds || a.group.localeCompare(b.group),
  );
  if (bottlenecks.length > 0) reasons.push(`${bottlenecks.length} active bottleneck${bottlenecks.length === 1 ? '' : 's'}`);
  if (exhaustion.length > 0) reasons.push(`${exhaustion.length} resource${exhaustion.length === 1 ? '' : 's'} forecast to run out within the hour`);
  levels.push(...bottlenecks.map((b) => b.level), ...exhaustion.map((e) => e.level));
  return {
    instance: h.instance,
    hostname: h.hostname,
    status: worst(levels),
    reasons,
    up: h.up,
    last_collect_age_seconds: h.last_collect_age_seconds,
    bottlenecks,
    exhaustion,
  };
}

export function summarise(hosts: HostStatus[], source: StatusResult['source'], atMs: number): StatusResult {
  const sorted = [...hosts].sort((a, b) => ORDER.indexOf(b.status) - ORDER.indexOf(a.status) || a.instance.localeCompare(b.instance));
  const status = worst(sorted.map((h) => h.status));
  return {
    status,
    exit_code: EXIT_CODE[status],
    checked_at: new Date(Math.round(atMs / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    source,
    window_seconds: STATUS_RULES.windowSeconds,
    hosts: sorted,
  };
}
