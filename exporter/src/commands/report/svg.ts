import type { ChartSeries } from './model';
import { median } from '../stats';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

export const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface ChartOptions {
  title: string;
  series: ChartSeries[];
  startMs: number;
  endMs: number;
  /** Formats a y value for the axis. */
  format: (v: number) => string;
  /** Fixed y range (ratios: 0–1); else 0 to the data's maximum. */
  yMax?: number;
}

/** An inline SVG line chart: time on x, one polyline per series, broken where samples are missing. */
export function lineChart(o: ChartOptions): string {
  const W = 760;
  const H = 240;
  const m = { l: 70, r: 12, t: 28, b: 56 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const values = o.series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  const yMax = o.yMax ?? niceMax(values.length > 0 ? Math.max(...values) : 1);
  const x = (t: number): number => m.l + ((t - o.startMs) / Math.max(1, o.endMs - o.startMs)) * pw;
  const y = (v: number): number => m.t + ph - (Math.min(Math.max(v, 0), yMax) / yMax) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(o.title)}">`,
    `<text x="${m.l}" y="18" font-size="13" font-weight="bold">${escapeXml(o.title)}</text>`,
    `<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#ccc"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    out.push(
      `<line x1="${m.l}" x2="${m.l + pw}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`,
      `<text x="${m.l - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="11" text-anchor="end">${escapeXml(o.format(v))}</text>`,
    );
  }
  const ticks = timeTicks(o.startMs, o.endMs);
  for (const t of ticks) {
    const label = o.endMs - o.startMs > 2 * 86_400_000 ? new Date(t).toISOString().slice(5, 10) : new Date(t).toISOString().slice(11, 16);
    out.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${m.t + ph}" y2="${m.t + ph + 4}" stroke="#999"/>`,
      `<text x="${x(t).toFixed(1)}" y="${m.t + ph + 16}" font-size="11" text-anchor="middle">${label}</text>`,
    );
  }
  o.series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    for (const seg of segments(s.points)) {
      out.push(
        `<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${seg.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`,
      );
    }
    const lx = m.l + (i % 3) * 240;
    const ly = H - 22 + Math.floor(i / 3) * 14;
    out.push(
      `<rect x="${lx}" y="${ly - 8}" width="10" height="10" fill="${colour}"/>`,
      `<text x="${lx + 14}" y="${ly + 1}" font-size="11">${escapeXml(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

/** Splits points where the spacing is more than twice the usual one (missing data is not drawn as a line). */
function segments(points: Array<[number, number]>): Array<Array<[number, number]>> {
  const pts = points.filter(([, v]) => Number.isFinite(v));
  if (pts.length === 0) return [];
  const gaps = pts.slice(1).map((p, i) => p[0] - pts[i][0]);
  const usual = gaps.length > 0 ? median(gaps) : 0;
  const out: Array<Array<[number, number]>> = [[pts[0]]];
  for (let i = 1; i < pts.length; i++) {
    if (pts[i][0] - pts[i - 1][0] > 2 * usual) out.push([]);
    out[out.length - 1].push(pts[i]);
  }
  return out;
}

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const f of [1, 2, 4, 6, 8, 10]) if (v <= f * p) return f * p;
  return 10 * p;
}

/** Ticks at whole hours (a day) or whole days (a week), at most about 8. */
function timeTicks(startMs: number, endMs: number): number[] {
  const span = endMs - startMs;
  const candidates = [3_600_000, 3 * 3_600_000, 6 * 3_600_000, 86_400_000, 2 * 86_400_000, 7 * 86_400_000];
  const step = candidates.find((c) => span / c <= 8) ?? candidates[candidates.length - 1];
  const out: number[] = [];
  for (let t = Math.ceil(startMs / step) * step; t <= endMs && out.length < 20; t += step) out.push(t);
  return out;
}
