/**
 * Loads a directory of `timestamp,value` CSV files, one subfolder per
 * category (as shared/data/nab), onto a regular grid: the step is the most
 * common spacing of the timestamps (rounded to a minute), several rows in
 * one step are averaged and a step without rows is NaN (a gap, not filled).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface EvalSeries {
  id: string;
  category: string;
  stepSeconds: number;
  /** Unix seconds of the first point. */
  t0: number;
  values: number[];
}

function parseTime(s: string): number {
  const x = s.trim().replace(/^"|"$/g, '');
  if (/^\d+(\.\d+)?$/.test(x)) {
    const n = Number(x);
    return n > 1e11 ? n / 1000 : n;
  }
  // "YYYY-MM-DD HH:MM:SS" is UTC in NAB.
  const iso = x.includes('T') ? x : x.replace(' ', 'T');
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`) / 1000;
}

/** The series of one CSV file on its regular grid; null when it has fewer than 3 usable rows. */
export function loadCsv(path: string, id: string, category: string): EvalSeries | null {
  const rows: Array<[number, number]> = [];
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    if (!line.trim()) continue;
    const [ts, v] = line.split(',');
    const t = parseTime(ts);
    const x = Number(v);
    if (Number.isFinite(t) && Number.isFinite(x)) rows.push([t, x]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  if (rows.length < 3) return null;
  const counts = new Map<number, number>();
  for (let i = 1; i < rows.length; i++) {
    const d = Math.round((rows[i][0] - rows[i - 1][0]) / 60) * 60;
    if (d > 0) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  const step = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 60;
  const t0 = rows[0][0];
  const n = Math.round((rows[rows.length - 1][0] - t0) / step) + 1;
  const sum = new Float64Array(n);
  const cnt = new Uint32Array(n);
  for (const [t, x] of rows) {
    const i = Math.round((t - t0) / step);
    sum[i] += x;
    cnt[i]++;
  }
  const values = Array.from(sum, (s, i) => (cnt[i] ? s / cnt[i] : NaN));
  return { id, category, stepSeconds: step, t0, values };
}

/** Every CSV file under the directory's subfolders (a CSV at the top level: category "."). */
export function loadDir(dir: string, opts: { minStepSeconds?: number; maxStepSeconds?: number } = {}): EvalSeries[] {
  if (!existsSync(dir)) throw new Error(`no such directory: ${dir}`);
  const out: EvalSeries[] = [];
  const add = (file: string, category: string): void => {
    const s = loadCsv(join(dir, category === '.' ? '' : category, file), `${category}/${file}`, category);
    if (!s) return;
    if (s.stepSeconds < (opts.minStepSeconds ?? 60) || s.stepSeconds > (opts.maxStepSeconds ?? 3600)) return;
    out.push(s);
  };
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) {
      for (const f of readdirSync(p).sort()) if (f.endsWith('.csv')) add(f, e);
    } else if (e.endsWith('.csv')) {
      add(e, '.');
    }
  }
  return out;
}
