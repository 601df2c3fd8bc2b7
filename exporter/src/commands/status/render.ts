import * as fmt from '../format';
import type { Style } from '../style';
import type { HostStatus, Level, StatusResult } from './model';

const paint = (style: Style, level: Level, text: string): string =>
  level === 'CRITICAL' ? style.red(text) : level === 'WARNING' ? style.yellow(text) : style.green(text);

/**
 * The status as text. The first line is the Nagios plugin output
 * (`CRITICAL - …`); then one block per host, most severe first.
 */
export function renderStatus(r: StatusResult, style: Style, nowMs: number): string {
  const counts = (l: Level): number => r.hosts.filter((h) => h.status === l).length;
  const bottlenecks = r.hosts.reduce((n, h) => n + h.bottlenecks.length, 0);
  const exhaustion = r.hosts.reduce((n, h) => n + h.exhaustion.length, 0);
  const lines: string[] = [
    `${paint(style, r.status, style.bold(r.status))} - ${r.hosts.length} host${r.hosts.length === 1 ? '' : 's'}: ${counts('CRITICAL')} critical, ${counts('WARNING')} warning, ${counts('OK')} ok; ` +
      `${bottlenecks} active bottleneck${bottlenecks === 1 ? '' : 's'}, ${exhaustion} exhaustion${exhaustion === 1 ? '' : 's'} within 1h`,
    style.dim(
      `checked ${fmt.time(Date.parse(r.checked_at))} (last 5 minutes) from ${r.source.kind === 'prometheus' ? 'Prometheus' : 'the exporter API'}: ${r.source.urls.join(', ')}`,
    ),
  ];
  for (const h of r.hosts) lines.push('', ...renderHost(h, style, nowMs));
  return lines.join('\n') + '\n';
}

function renderHost(h: HostStatus, style: Style, nowMs: number): string[] {
  const name = `${style.bold(h.instance)}${h.hostname && h.hostname !== h.instance ? ` (${h.hostname})` : ''}`;
  const lines = [
    `${paint(style, h.status, h.status.padEnd(8))}  ${name}${h.reasons.length > 0 ? `: ${h.reasons.join(', ')}` : ': no active bottleneck, nothing runs out within the hour'}`,
  ];
  for (const b of h.bottlenecks) {
    const since = b.since ? `  since ${fmt.shortTime(Date.parse(b.since), nowMs)} (${fmt.duration((nowMs - Date.parse(b.since)) / 1000)})` : '';
    lines.push(
      `  ${paint(style, b.level, b.level.padEnd(8))}  ${style.bold(b.group)}  ${b.kind}  severity ${fmt.percent(b.severity, 0)}${b.confidence !== null ? `  confidence ${fmt.percent(b.confidence, 0)}` : ''}${since}`,
    );
    b.evidence.forEach((e, i) => lines.push(`            ${i === 0 ? 'evidence ' : '         '} ${e.text}`));
    if (b.action) lines.push(`            ${style.bold('do now')}    ${b.action.title}${b.action.first_step ? `: ${b.action.first_step}` : ''}`);
  }
  for (const e of h.exhaustion) {
    lines.push(
      `  ${paint(style, e.level, e.level.padEnd(8))}  ${style.bold(e.group)}  ${e.resource} reaches its limit (${e.limit}) in ${fmt.duration(e.seconds)}${e.bound === 'earliest' ? ' (pessimistic bound; the expected path does not cross within the hour)' : ' (forecast)'}`,
    );
  }
  return lines;
}
