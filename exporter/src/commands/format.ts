/** Human formats of the text, Markdown and HTML outputs. Times are always UTC. */

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < IEC.length - 1) {
    v /= 1024;
    i++;
  }
  return `${sign}${i === 0 ? v.toFixed(0) : v.toFixed(v >= 100 ? 0 : 1)} ${IEC[i]}`;
}

/** Seconds as `3d 4h`, `1h 10m`, `45m`, `30s`: the largest unit and the next one when not zero. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const s = Math.max(0, Math.round(seconds));
  const parts: Array<[number, string]> = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3_600), 'h'],
    [Math.floor((s % 3_600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return '0s';
  const next = parts[first + 1];
  return `${parts[first][0]}${parts[first][1]}${next && next[0] > 0 ? ` ${next[0]}${next[1]}` : ''}`;
}

/** A ratio as percent with `digits` decimals (`0.9995` → `99.95%`). */
export function percent(ratio: number, digits = 1): string {
  if (!Number.isFinite(ratio)) return String(ratio);
  return `${(ratio * 100).toFixed(digits)}%`;
}

export function cores(n: number): string {
  return `${n.toFixed(n >= 10 ? 1 : 2)} cores`;
}

export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A signed change: `+12.0%` of the previous value, `new` when there was none. */
export function change(now: number, before: number | null): string {
  if (before === null || !Number.isFinite(before)) return 'new';
  if (before === 0) return now === 0 ? '±0%' : 'new';
  const r = (now - before) / Math.abs(before);
  return `${r >= 0 ? '+' : ''}${(r * 100).toFixed(1)}%`;
}

/** `2026-11-29 14:05 UTC` */
export function time(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `14:05` when on the same UTC day as `ref`, else the full time. */
export function shortTime(ms: number, refMs: number): string {
  const a = new Date(ms).toISOString();
  return a.slice(0, 10) === new Date(refMs).toISOString().slice(0, 10) ? a.slice(11, 16) : time(ms);
}

/** `2026-11-29` */
export function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** ISO 8601 with seconds, for JSON. */
export function iso(ms: number): string {
  return new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A value in the unit the exporter's evidence series carry (`unit` label). */
export function inUnit(value: number, unit: string): string {
  switch (unit) {
    case 'ratio':
      return percent(value, 0);
    case 'seconds':
      return duration(value);
    case 'bytes':
      return bytes(value);
    case 'bytes/s':
      return `${bytes(value)}/s`;
    case 'cores':
      return cores(value);
    case 'count':
      return count(value);
    default:
      return `${Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3))} ${unit}`;
  }
}
