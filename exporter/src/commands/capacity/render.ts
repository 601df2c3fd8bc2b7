import * as fmt from '../format';
import type { Style } from '../style';
import { textTable } from '../table';
import { trendText, valueText } from './analyse';
import type { Advice, CapacityPlan } from './model';

const paint = (style: Style, level: Advice, s: string): string =>
  level === 'act' ? style.red(s) : level === 'plan' ? style.yellow(s) : level === 'watch' ? style.magenta(s) : style.green(s);

/** The plan as text: one table per host, then the recommendations that need something done. */
export function renderCapacity(plan: CapacityPlan, style: Style): string {
  const out: string[] = [
    style.bold(`procsight capacity plan: ${plan.days} days of daily peaks to ${fmt.time(Date.parse(plan.end))}, horizon ${plan.horizon_days} days`),
  ];
  for (const h of plan.hosts) {
    const rows = plan.findings.filter((f) => f.instance === h.instance);
    out.push(
      '',
      `${style.bold(h.instance)}  ${h.cpus !== null ? `${h.cpus} cores` : 'cores unknown'}, ${h.memory_bytes !== null ? fmt.bytes(h.memory_bytes) : 'memory unknown'}`,
    );
    out.push(
      textTable(
        ['resource', 'group', 'last day', 'limit', 'use', 'trend', 'runs out', 'advice'],
        rows.map((f) => [
          f.resource,
          f.group ?? '(host)',
          `${valueText(f.latest, f.unit)}${f.open_fds !== undefined ? ` (${fmt.count(f.open_fds)} fds)` : ''}`,
          valueText(f.limit, f.unit),
          fmt.percent(f.use, 0),
          trendText(f.trend_per_day, f.unit),
          f.days_to_exhaustion === null ? '–' : f.days_to_exhaustion === 0 ? 'now' : `in ${f.days_to_exhaustion} d`,
          paint(style, f.recommendation.level, f.recommendation.level.toUpperCase()),
        ]),
        { indent: '  ', right: [2, 3, 4, 5, 6] },
      ),
    );
  }
  const todo = plan.findings.filter((f) => f.recommendation.level !== 'ok');
  out.push('', style.bold(todo.length === 0 ? 'Nothing needs doing within the horizon.' : 'Recommendations'));
  for (const f of todo)
    out.push(
      `  ${paint(style, f.recommendation.level, f.recommendation.level.toUpperCase().padEnd(5))}  ${f.instance}${f.group ? ` ${f.group}` : ''} ${f.resource}: ${f.recommendation.text}`,
    );
  return out.join('\n') + '\n';
}
