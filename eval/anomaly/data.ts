/**
 * A labelled corpus in NAB's layout: `<category>/*.csv` (`timestamp,value`),
 * `combined_windows.json` keyed `<category>/<file>.csv` and an optional
 * `profiles.json` (NAB's three cost profiles when absent). Parsing only: the
 * caller reads nothing else from disk.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROFILES, type CostProfile } from '../nab/scorer';

export interface Series {
  /** `<category>/<file>.csv`, the key of `combined_windows.json`. */
  key: string;
  category: string;
  timestamps: number[];
  values: number[];
  /** Labelled windows as [startMs, endMs]; empty when the file has none (any detection is a false positive). */
  windows: Array<[number, number]>;
}

export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/**
 * A timestamp as UTC ms: NAB's "2014-02-14 14:30:00[.000000]", ISO 8601 (with
 * or without a zone; none means UTC), or Unix seconds / milliseconds.
 */
function parseTimestamp(s: string): number {
  const t = s.trim().replace(/^"|"$/g, '');
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    return n < 1e11 ? n * 1000 : n; // seconds until the year 5138
  }
  const iso = t.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1');
  const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(iso) ? iso : `${iso}Z`;
  return Date.parse(zoned);
}

/** Rows of a `timestamp,value` CSV (a header line is skipped; rows that do not parse are dropped and counted). */
export function parseSeriesCsv(text: string): { timestamps: number[]; values: number[]; dropped: number } {
  const timestamps: number[] = [];
  const values: number[] = [];
  let dropped = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const comma = line.indexOf(',');
    const t = comma < 0 ? NaN : parseTimestamp(line.slice(0, comma));
    const v = comma < 0 ? NaN : Number(line.slice(comma + 1).split(',')[0]);
    if (Number.isFinite(t) && line.slice(comma + 1).trim() !== '') {
      timestamps.push(t);
      values.push(v);
    } else if (i > 0) dropped++; // the first line is the header
  }
  return { timestamps, values, dropped };
}

/** NAB's profiles.json (`{name: {CostMatrix: {tpWeight, fnWeight, fpWeight}}}`) or NAB's own three profiles. */
export function loadProfiles(dir: string): Record<ProfileName, CostProfile> {
  const path = join(dir, 'profiles.json');
  if (!existsSync(path)) return PROFILES;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, { CostMatrix?: Partial<CostProfile> }>;
  const out = { ...PROFILES };
  for (const name of PROFILE_NAMES) {
    const m = raw[name]?.CostMatrix;
    if (m && [m.tpWeight, m.fnWeight, m.fpWeight].every((x) => typeof x === 'number' && Number.isFinite(x))) {
      out[name] = { tpWeight: m.tpWeight!, fnWeight: m.fnWeight!, fpWeight: m.fpWeight! };
    }
  }
  return out;
}

/** Every `<category>/*.csv` under `dir` (sorted), with its windows. */
export function loadCorpus(dir: string): Series[] {
  const windowsPath = join(dir, 'combined_windows.json');
  const windows = existsSync(windowsPath) ? (JSON.parse(readFileSync(windowsPath, 'utf8')) as Record<string, Array<[string, string]>>) : {};
  const out: Series[] = [];
  const categories = readdirSync(dir)
    .filter((c) => c !== 'results' && statSync(join(dir, c)).isDirectory())
    .sort();
  for (const category of categories) {
    const files = readdirSync(join(dir, category))
      .filter((f) => f.endsWith('.csv'))
      .sort();
    for (const file of files) {
      const key = `${category}/${file}`;
      const { timestamps, values } = parseSeriesCsv(readFileSync(join(dir, category, file), 'utf8'));
      if (timestamps.length === 0) continue;
      out.push({
        key,
        category,
        timestamps,
        values,
        windows: (windows[key] ?? []).map(([a, b]) => [parseTimestamp(a), parseTimestamp(b)] as [number, number]),
      });
    }
  }
  return out;
}

/**
 * The development corpus: the nearest `shared/data/nab` above this file (the
 * main checkout sits beside `shared/`, a worktree one level deeper).
 */
export function defaultNabDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'shared', 'data', 'nab');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(__dirname, '..', '..', '..', 'shared', 'data', 'nab');
}
