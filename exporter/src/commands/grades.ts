/**
 * SLI grades (seed 003): each SLI is a ratio graded EXCELLENT / GOOD /
 * ACCEPTABLE / POOR / CRITICAL by the least value each grade needs. The
 * report grades every host over its period; docs/cli.md shows this table
 * (renderGradeTable) and a test fails when the two differ.
 */
export type Grade = 'EXCELLENT' | 'GOOD' | 'ACCEPTABLE' | 'POOR' | 'CRITICAL';

export const GRADES: readonly Grade[] = ['EXCELLENT', 'GOOD', 'ACCEPTABLE', 'POOR', 'CRITICAL'];

export type SliName = 'availability' | 'collection_success' | 'cpu_headroom' | 'memory_headroom';

export interface SliSpec {
  title: string;
  /** How the ratio is measured over the report's period. */
  how: string;
  /** Least ratio for EXCELLENT, GOOD, ACCEPTABLE, POOR; below the last: CRITICAL. */
  floors: readonly [number, number, number, number];
}

export const SLIS: Record<SliName, SliSpec> = {
  availability: {
    title: 'Exporter availability',
    how: 'share of scrapes that succeeded: `avg_over_time(up[period])`',
    floors: [0.999, 0.995, 0.99, 0.95],
  },
  collection_success: {
    title: 'Collection success',
    how: 'share of scraped samples in which every collector succeeded: `min by (instance) (procsight_scrape_collector_success)` averaged over the period',
    floors: [0.999, 0.995, 0.99, 0.95],
  },
  cpu_headroom: {
    title: 'CPU headroom',
    how: '1 − the 95th percentile of host CPU utilisation (15-minute rate of `procsight_host_cpu_seconds_total`, busy = not idle or iowait)',
    floors: [0.5, 0.3, 0.2, 0.1],
  },
  memory_headroom: {
    title: 'Memory headroom',
    how: 'least share of host memory available: `min_over_time(available) / total` (`procsight_host_memory_bytes`)',
    floors: [0.4, 0.25, 0.15, 0.05],
  },
};

export function grade(sli: SliName, ratio: number): Grade {
  const f = SLIS[sli].floors;
  if (ratio >= f[0]) return 'EXCELLENT';
  if (ratio >= f[1]) return 'GOOD';
  if (ratio >= f[2]) return 'ACCEPTABLE';
  if (ratio >= f[3]) return 'POOR';
  return 'CRITICAL';
}

/** The worst of some grades (CRITICAL worst); EXCELLENT for none. */
export function worstGrade(grades: readonly Grade[]): Grade {
  return grades.reduce<Grade>((w, g) => (GRADES.indexOf(g) > GRADES.indexOf(w) ? g : w), 'EXCELLENT');
}

const pct = (r: number): string => `${Number((r * 100).toFixed(2))} %`;

/** The grade table of docs/cli.md (Markdown). */
export function renderGradeTable(): string {
  const lines = ['| SLI | measured as | EXCELLENT | GOOD | ACCEPTABLE | POOR | CRITICAL |', '|---|---|---|---|---|---|---|'];
  for (const spec of Object.values(SLIS)) {
    const [e, g, a, p] = spec.floors;
    lines.push(`| ${spec.title} | ${spec.how} | ≥ ${pct(e)} | ≥ ${pct(g)} | ≥ ${pct(a)} | ≥ ${pct(p)} | < ${pct(p)} |`);
  }
  return lines.join('\n');
}

/** One sentence naming every grade's floor, for reports. */
export function gradeLegend(): string {
  const parts = Object.values(SLIS).map((s) => `${s.title.toLowerCase()} ≥ ${s.floors.map((f) => Number((f * 100).toFixed(2))).join(' / ')} %`);
  return `Grades EXCELLENT / GOOD / ACCEPTABLE / POOR from: ${parts.join('; ')}; below the last: CRITICAL.`;
}
