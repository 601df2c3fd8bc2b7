import * as fmt from '../format';
import { gradeLegend, SLIS, type SliName } from '../grades';
import { markdownTable } from '../table';
import type { HostReport, PeriodSummary, Report, SliValue } from './model';

export const SLI_ORDER: readonly SliName[] = ['availability', 'collection_success', 'cpu_headroom', 'memory_headroom'];

export const hostName = (h: { instance: string; hostname: string | null }): string =>
  h.hostname && h.hostname !== h.instance ? `${h.instance} (${h.hostname})` : h.instance;

export function sliCell(s: SliValue, digits: number): string {
  if (s.value === null || s.grade === null) return 'no data';
  const prev = s.previous === null ? '' : `, before ${fmt.percent(s.previous, digits)}`;
  return `${fmt.percent(s.value, digits)} ${s.grade}${prev}`;
}

export const sliDigits = (name: SliName): number => (name === 'availability' || name === 'collection_success' ? 2 : 1);

export function periodTitle(r: Report): string {
  return `${fmt.time(Date.parse(r.start))} → ${fmt.time(Date.parse(r.end))}`;
}

/** The sentences of the summary: the worst host grades, bottleneck and anomaly time, resources forecast to run out. */
export function summaryLines(r: Report): string[] {
  const out: string[] = [];
  for (const h of r.hosts) {
    const weak = SLI_ORDER.filter((n) => h.slis[n].grade !== null && h.slis[n].grade !== 'EXCELLENT' && h.slis[n].grade !== 'GOOD');
    out.push(
      `${hostName(h)}: ${h.grade ?? 'no data'}${weak.length > 0 ? ` (${weak.map((n) => `${SLIS[n].title.toLowerCase()} ${fmt.percent(h.slis[n].value ?? NaN, sliDigits(n))} ${h.slis[n].grade}`).join('; ')})` : ''}`,
    );
  }
  out.push(periodSentence('bottleneck', r.bottlenecks), periodSentence('anomaly', r.anomalies));
  const ex = r.exhaustion.filter((e) => e.bound === 'mean');
  out.push(
    ex.length === 0
      ? 'No resource was forecast to run out (expected path) during the period.'
      : `${ex.length} resource${ex.length === 1 ? ' was' : 's were'} forecast to run out: ${ex.map((e) => `${e.group} ${e.resource} on ${e.instance} (${e.at_end_seconds !== null ? `in ${fmt.duration(e.at_end_seconds)} at the end of the period` : `soonest ${fmt.duration(e.soonest_seconds)}`})`).join(', ')}.`,
  );
  return out;
}

function periodSentence(what: string, s: PeriodSummary): string {
  const n = s.periods.length;
  return `${n} ${what} period${n === 1 ? '' : 's'}, ${fmt.duration(s.total_seconds)} in total (previous period: ${s.previous_count}, ${fmt.duration(s.previous_total_seconds)}).`;
}

function sliRow(h: HostReport): string[] {
  return [hostName(h), ...SLI_ORDER.map((n) => sliCell(h.slis[n], sliDigits(n))), h.grade ?? 'no data'];
}

export function renderMarkdown(r: Report): string {
  const days = r.period === 'daily' ? '24 hours' : '7 days';
  const L: string[] = [
    `# procsight ${r.period} report`,
    '',
    `**${periodTitle(r)}** (${days}) · ${r.hosts.length} host${r.hosts.length === 1 ? '' : 's'} · job \`${r.job}\` · compared with the ${days} before`,
    '',
    '## Summary',
    '',
    ...summaryLines(r).map((l) => `- ${l}`),
    '',
    '## SLI compliance',
    '',
    markdownTable(['host', ...SLI_ORDER.map((n) => SLIS[n].title), 'grade'], r.hosts.map(sliRow)),
    '',
    `${gradeLegend()} "before": the previous period.`,
    '',
    '## Top consumers',
    '',
    '### CPU',
    '',
    markdownTable(
      ['host', 'group', 'average', 'peak (15 min)', 'change'],
      r.top.cpu.map((c) => [
        c.instance,
        c.group,
        fmt.cores(c.avg_cores),
        c.peak_cores === null ? '–' : fmt.cores(c.peak_cores),
        fmt.change(c.avg_cores, c.previous_avg_cores),
      ]),
      { right: [2, 3, 4] },
    ),
    '',
    '### Memory (resident)',
    '',
    markdownTable(
      ['host', 'group', 'average', 'peak', 'change'],
      r.top.memory.map((m) => [
        m.instance,
        m.group,
        fmt.bytes(m.avg_bytes),
        m.peak_bytes === null ? '–' : fmt.bytes(m.peak_bytes),
        fmt.change(m.avg_bytes, m.previous_avg_bytes),
      ]),
      { right: [2, 3, 4] },
    ),
    '',
    '### Disk I/O',
    '',
    markdownTable(
      ['host', 'group', 'read', 'written', 'total', 'change'],
      r.top.io.map((i) => [
        i.instance,
        i.group,
        fmt.bytes(i.read_bytes),
        fmt.bytes(i.write_bytes),
        fmt.bytes(i.total_bytes),
        fmt.change(i.total_bytes, i.previous_total_bytes),
      ]),
      { right: [2, 3, 4, 5] },
    ),
    '',
    '## Bottleneck periods',
    '',
    r.bottlenecks.periods.length === 0
      ? 'None.'
      : markdownTable(
          ['host', 'group', 'kind', 'from', 'to', 'duration', 'peak severity'],
          r.bottlenecks.periods.map((b) => [
            b.instance,
            b.group,
            b.kind,
            fmt.time(Date.parse(b.start)),
            b.ongoing ? 'ongoing' : fmt.time(Date.parse(b.end)),
            fmt.duration(b.duration_seconds),
            fmt.percent(b.peak, 0),
          ]),
          { right: [5, 6] },
        ),
    '',
    '## Anomalies',
    '',
    r.anomalies.periods.length === 0
      ? `No group's combined anomaly score reached ${r.anomalies.threshold}.`
      : markdownTable(
          ['host', 'group', 'from', 'to', 'duration', 'peak score'],
          r.anomalies.periods.map((a) => [
            a.instance,
            a.group,
            fmt.time(Date.parse(a.start)),
            a.ongoing ? 'ongoing' : fmt.time(Date.parse(a.end)),
            fmt.duration(a.duration_seconds),
            a.peak.toFixed(2),
          ]),
          { right: [4, 5] },
        ),
    '',
    `Periods in which a group's combined anomaly score was at or above ${r.anomalies.threshold}.`,
    '',
    '## Forecast exhaustion',
    '',
    r.exhaustion.length === 0
      ? "The exporter's forecasts predicted no crossing of a limit during the period."
      : markdownTable(
          ['host', 'group', 'resource', 'limit', 'soonest', 'predicted at', 'at the end'],
          r.exhaustion.map((e) => [
            e.instance,
            e.group,
            e.resource,
            e.limit,
            `${fmt.duration(e.soonest_seconds)}${e.bound === 'earliest' ? ' (pessimistic)' : ''}`,
            fmt.time(Date.parse(e.soonest_at)),
            e.at_end_seconds === null ? 'no longer' : fmt.duration(e.at_end_seconds),
          ]),
          { right: [4, 6] },
        ),
    '',
    "From the exporter's own forecasts (`procsight_forecast_exhaustion_seconds`): time until the resource reaches the limit, as predicted during the period.",
    '',
    '## Change against the previous period',
    '',
    markdownTable(['', 'this period', 'previous period', 'change'], changeRows(r), { right: [1, 2, 3] }),
    '',
  ];
  return L.join('\n');
}

export function changeRows(r: Report): string[][] {
  const t = r.totals;
  return [
    [
      'CPU, all groups (average)',
      fmt.cores(t.cpu_avg_cores),
      t.previous_cpu_avg_cores === null ? '–' : fmt.cores(t.previous_cpu_avg_cores),
      fmt.change(t.cpu_avg_cores, t.previous_cpu_avg_cores),
    ],
    [
      'resident memory, all groups (average)',
      fmt.bytes(t.memory_avg_bytes),
      t.previous_memory_avg_bytes === null ? '–' : fmt.bytes(t.previous_memory_avg_bytes),
      fmt.change(t.memory_avg_bytes, t.previous_memory_avg_bytes),
    ],
    [
      'disk I/O, all groups',
      fmt.bytes(t.io_bytes),
      t.previous_io_bytes === null ? '–' : fmt.bytes(t.previous_io_bytes),
      fmt.change(t.io_bytes, t.previous_io_bytes),
    ],
    [
      'bottleneck periods',
      String(r.bottlenecks.periods.length),
      String(r.bottlenecks.previous_count),
      fmt.change(r.bottlenecks.periods.length, r.bottlenecks.previous_count),
    ],
    [
      'bottleneck time',
      fmt.duration(r.bottlenecks.total_seconds),
      fmt.duration(r.bottlenecks.previous_total_seconds),
      fmt.change(r.bottlenecks.total_seconds, r.bottlenecks.previous_total_seconds),
    ],
    [
      'anomaly periods',
      String(r.anomalies.periods.length),
      String(r.anomalies.previous_count),
      fmt.change(r.anomalies.periods.length, r.anomalies.previous_count),
    ],
  ];
}
