/** Small PromQL builders: quoting, and the job/instance matchers every query carries. */

/** A PromQL string literal. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

/** RE2 pattern matching exactly one of `values`. */
export function anyOf(values: readonly string[]): string {
  return values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

export interface Scope {
  job: string;
  /** Empty: every instance. */
  instances: readonly string[];
}

/** `name{job="…",instance=~"…",extra}` */
export function sel(name: string, scope: Scope, extra = ''): string {
  const m = [`job=${quote(scope.job)}`];
  if (scope.instances.length > 0) m.push(`instance=~${quote(anyOf(scope.instances))}`);
  if (extra) m.push(extra);
  return `${name}{${m.join(',')}}`;
}

/** A Prometheus duration for a number of seconds (`86400` → `1d`, `900` → `15m`). */
export function promDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s % 86_400 === 0) return `${s / 86_400}d`;
  if (s % 3_600 === 0) return `${s / 3_600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}
