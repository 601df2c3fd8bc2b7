import { CheckpointError } from '../../errors';

/**
 * A compact form of a detector checkpoint (`StreamDetector.toJSON`): its
 * large arrays — the recent baseline's cells, the lag queue and the daily
 * profile — as base64 of Float32 values and Uint32 time gaps instead of JSON
 * numbers. A detector's state is then about 13 KB instead of 22 KB of JSON,
 * and encodes natively. Float32 keeps 7 significant digits (a relative error
 * of 6e-8, far below any scale the detector judges with: its σ is at least
 * the signal's floor and 1 % of its range), so a restored detector scores as
 * the one that was saved up to that rounding. The rest of the state (a few
 * numbers) stays JSON.
 */
type Json = Record<string, unknown>;

const MAX_GAP = 0xffffffff;

function isObj(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function numbers(x: unknown): number[] | null {
  return Array.isArray(x) && x.every((v) => typeof v === 'number' && Number.isFinite(v)) ? (x as number[]) : null;
}

const b64 = (a: Float32Array | Uint32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function fromB64(s: unknown, kind: 'f32' | 'u32', what: string): number[] {
  if (typeof s !== 'string') throw new CheckpointError(`${what}: not a base64 string`);
  const buf = Buffer.from(s, 'base64');
  if (buf.byteLength % 4 !== 0) throw new CheckpointError(`${what}: ${buf.byteLength} bytes is not a whole number of values`);
  const copy = new Uint8Array(buf); // aligned
  return Array.from(kind === 'f32' ? new Float32Array(copy.buffer) : new Uint32Array(copy.buffer));
}

/** Times as the first and the gaps after it (Uint32 ms); null when a gap does not fit (the caller keeps the plain form). */
function packTimes(t: number[], absolute: boolean): { t0: number; gaps: string } | null {
  const gaps = new Uint32Array(Math.max(0, t.length - 1));
  for (let i = 1; i < t.length; i++) {
    const g = absolute ? t[i] - t[i - 1] : t[i];
    if (!Number.isInteger(g) || g < 0 || g > MAX_GAP) return null;
    gaps[i - 1] = g;
  }
  return { t0: t.length ? t[0] : 0, gaps: b64(gaps) };
}

function unpackTimes(o: Json, absolute: boolean, n: number, what: string): number[] {
  const gaps = fromB64(o.gaps, 'u32', `${what}.gaps`);
  if (typeof o.t0 !== 'number' || gaps.length !== Math.max(0, n - 1)) throw new CheckpointError(`${what}: times do not match the values`);
  const t: number[] = n > 0 ? [o.t0] : [];
  for (const g of gaps) t.push(absolute ? t[t.length - 1] + g : g);
  return t;
}

/** The recent baseline stores its first time and then gaps; the lag queue absolute times. */
function packCells(c: unknown, absolute: boolean): unknown {
  if (!isObj(c)) return c;
  const t = numbers(c.t);
  const x = numbers(c.x);
  if (!t || !x || t.length !== x.length) return c;
  const times = packTimes(t, absolute);
  return times ? { packed: 1, ...times, x: b64(Float32Array.from(x)) } : c;
}

function unpackCells(c: unknown, absolute: boolean, what: string): unknown {
  if (!isObj(c) || c.packed !== 1) return c;
  const x = fromB64(c.x, 'f32', `${what}.x`);
  return { t: unpackTimes(c, absolute, x.length, what), x };
}

function packProfile(p: unknown): unknown {
  if (!isObj(p)) return p;
  const mean = numbers(p.mean);
  const dev = numbers(p.dev);
  const n = numbers(p.n);
  if (!mean || !dev || !n || !n.every((v) => Number.isInteger(v) && v >= 0 && v <= MAX_GAP)) return p;
  return { ...p, packed: 1, mean: b64(Float32Array.from(mean)), dev: b64(Float32Array.from(dev)), n: b64(Uint32Array.from(n)) };
}

function unpackProfile(p: unknown, what: string): unknown {
  if (!isObj(p) || p.packed !== 1) return p;
  const { packed: _packed, ...rest } = p;
  return { ...rest, mean: fromB64(p.mean, 'f32', `${what}.mean`), dev: fromB64(p.dev, 'f32', `${what}.dev`), n: fromB64(p.n, 'u32', `${what}.n`) };
}

/** The compact form of a detector checkpoint (anything it does not recognise is left as it is). */
export function packDetector(j: unknown): unknown {
  if (!isObj(j)) return j;
  // The recent baseline's `t` is already its first time and the gaps after it.
  return { ...j, baseline: packCells(j.baseline, false), lag: packCells(j.lag, true), profile: packProfile(j.profile) };
}

/** The detector checkpoint from its compact form (the detector validates the result). Throws CheckpointError on a malformed pack. */
export function unpackDetector(j: unknown, what: string): unknown {
  if (!isObj(j)) return j;
  return {
    ...j,
    baseline: unpackCells(j.baseline, false, `${what}.baseline`),
    lag: unpackCells(j.lag, true, `${what}.lag`),
    profile: unpackProfile(j.profile, `${what}.profile`),
  };
}
