import * as fmt from '../format';
import { gradeLegend, SLIS } from '../grades';
import { changeRows, hostName, periodTitle, SLI_ORDER, sliCell, sliDigits, summaryLines } from './markdown';
import type { Report, ReportCharts } from './model';
import { escapeXml as esc, lineChart } from './svg';

const CSS = [
  'body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}',
  'table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;font-size:.9rem}',
  'td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f5f5f5}',
  '.EXCELLENT,.GOOD{color:#1a7f37}.ACCEPTABLE{color:#9a6700}.POOR{color:#bc4c00}.CRITICAL{color:#cf222e;font-weight:bold}',
  'figure{margin:1rem 0}small{color:#666}',
].join('');

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, numeric: readonly number[] = []): string {
  const n = new Set(numeric);
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => `<td${n.has(i) ? ' class="n"' : ''}>${gradeSpans(esc(c))}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Colours the grade words in a cell. */
function gradeSpans(html: string): string {
  return html.replace(/\b(EXCELLENT|GOOD|ACCEPTABLE|POOR|CRITICAL)\b/g, '<span class="$1">$1</span>');
}

/** The report as one self-contained HTML page with inline SVG charts (no scripts, no external resources). */
export function renderHtml(r: Report, charts: ReportCharts): string {
  const startMs = Date.parse(r.start);
  const endMs = Date.parse(r.end);
  const ratio = (v: number): string => `${Math.round(v * 100)} %`;
  const body: string[] = [
    `<h1>procsight ${esc(r.period)} report</h1>`,
    `<p><strong>${esc(periodTitle(r))}</strong> · ${r.hosts.length} host${r.hosts.length === 1 ? '' : 's'} · job <code>${esc(r.job)}</code> · compared with the period before</p>`,
    '<h2>Summary</h2>',
    `<ul>${summaryLines(r)
      .map((l) => `<li>${gradeSpans(esc(l))}</li>`)
      .join('')}</ul>`,
    '<h2>SLI compliance</h2>',
    table(
      ['host', ...SLI_ORDER.map((n) => SLIS[n].title), 'grade'],
      r.hosts.map((h) => [hostName(h), ...SLI_ORDER.map((n) => sliCell(h.slis[n], sliDigits(n))), h.grade ?? 'no data']),
    ),
    `<p><small>${esc(gradeLegend())} "before": the previous period.</small></p>`,
    `<figure>${lineChart({ title: 'Host CPU utilisation', series: charts.hostCpu, startMs, endMs, format: ratio, yMax: 1 })}</figure>`,
    `<figure>${lineChart({ title: 'Host memory available', series: charts.hostMemory, startMs, endMs, format: ratio, yMax: 1 })}</figure>`,
    '<h2>Top consumers</h2>',
    '<h3>CPU</h3>',
    table(
      ['host', 'group', 'average', 'peak (15 min)', 'change'],
      r.top.cpu.map((c) => [
        c.instance,
        c.group,
        fmt.cores(c.avg_cores),
        c.peak_cores === null ? '–' : fmt.cores(c.peak_cores),
        fmt.change(c.avg_cores, c.previous_avg_cores),
      ]),
      [2, 3, 4],
    ),
    `<figure>${lineChart({ title: 'CPU of the top groups (cores)', series: charts.groupCpu, startMs, endMs, format: (v) => v.toFixed(v >= 10 ? 0 : 1) })}</figure>`,
    '<h3>Memory (resident)</h3>',
    table(
      ['host', 'group', 'average', 'peak', 'change'],
      r.top.memory.map((m) => [
        m.instance,
        m.group,
        fmt.bytes(m.avg_bytes),
        m.peak_bytes === null ? '–' : fmt.bytes(m.peak_bytes),
        fmt.change(m.avg_bytes, m.previous_avg_bytes),
      ]),
      [2, 3, 4],
    ),
    '<h3>Disk I/O</h3>',
    table(
      ['host', 'group', 'read', 'written', 'total', 'change'],
      r.top.io.map((i) => [
        i.instance,
        i.group,
        fmt.bytes(i.read_bytes),
        fmt.bytes(i.write_bytes),
        fmt.bytes(i.total_bytes),
        fmt.change(i.total_bytes, i.previous_total_bytes),
      ]),
      [2, 3, 4, 5],
    ),
    '<h2>Bottleneck periods</h2>',
    r.bottlenecks.periods.length === 0
      ? '<p>None.</p>'
      : table(
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
          [5, 6],
        ),
    '<h2>Anomalies</h2>',
    r.anomalies.periods.length === 0
      ? `<p>No group's combined anomaly score reached ${r.anomalies.threshold}.</p>`
      : table(
          ['host', 'group', 'from', 'to', 'duration', 'peak score'],
          r.anomalies.periods.map((a) => [
            a.instance,
            a.group,
            fmt.time(Date.parse(a.start)),
            a.ongoing ? 'ongoing' : fmt.time(Date.parse(a.end)),
            fmt.duration(a.duration_seconds),
            a.peak.toFixed(2),
          ]),
          [4, 5],
        ),
    '<h2>Forecast exhaustion</h2>',
    r.exhaustion.length === 0
      ? "<p>The exporter's forecasts predicted no crossing of a limit during the period.</p>"
      : table(
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
          [4, 6],
        ),
    '<h2>Change against the previous period</h2>',
    table(['', 'this period', 'previous period', 'change'], changeRows(r), [1, 2, 3]),
  ];
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>procsight ${esc(r.period)} report ${esc(r.end)}</title><style>${CSS}</style></head><body>\n${body.join('\n')}\n</body></html>\n`;
}
