import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const NAB_DIR = join(__dirname, '..', '..', '..', 'shared', 'data', 'nab');

/** NAB timestamps ("2014-02-14 14:30:00" or with ".000000") as UTC ms. */
function parseTime(s: string): number {
  return Date.parse(
    `${s
      .trim()
      .replace(' ', 'T')
      .replace(/\.\d+$/, '')}Z`,
  );
}

export interface NabFile {
  name: string;
  timestamps: number[];
  values: number[];
  windows: Array<[number, number]>;
}

export function loadNab(): NabFile[] {
  const dir = join(NAB_DIR, 'realAWSCloudwatch');
  if (!existsSync(dir)) return [];
  const windows = JSON.parse(readFileSync(join(NAB_DIR, 'combined_windows.json'), 'utf8')) as Record<string, Array<[string, string]>>;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((name) => {
      const rows = readFileSync(join(dir, name), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','));
      return {
        name,
        timestamps: rows.map((r) => parseTime(r[0])),
        values: rows.map((r) => Number(r[1])),
        windows: (windows[`realAWSCloudwatch/${name}`] ?? []).map(([a, b]) => [parseTime(a), parseTime(b)] as [number, number]),
      };
    });
}

/**
 * A published detector's output for a file (results/<detector>/<detector>_<name>):
 * its scores and the timestamps NAB scored them at (they differ from the data
 * file's by a few minutes in some files, and NAB maps windows onto these).
 */
export function loadReference(detector: string, name: string): { timestamps: number[]; scores: number[] } {
  const rows = readFileSync(join(NAB_DIR, 'results', detector, `${detector}_${name}`), 'utf8')
    .trim()
    .split('\n');
  const header = rows[0].split(',');
  const col = header.indexOf('anomaly_score');
  const body = rows.slice(1).map((l) => l.split(','));
  return { timestamps: body.map((r) => parseTime(r[0])), scores: body.map((r) => Number(r[col])) };
}

/** NAB's own per-file raw scores: detector → profile → file → score. */
export function loadPerFileScores(): Map<string, number> {
  const rows = readFileSync(join(NAB_DIR, 'results', 'per_file_scores.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  const out = new Map<string, number>();
  for (const r of rows) {
    const [detector, profile, file, threshold, score] = r.split(',');
    out.set(`${detector}|${profile}|${file.replace('realAWSCloudwatch/', '')}`, Number(score));
    out.set(`${detector}|${profile}|threshold`, Number(threshold));
  }
  return out;
}
