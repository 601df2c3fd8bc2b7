// Exploration v1: time-based robust level z + HTM-style likelihood + decayed range rule; gate with re-arm.
import { selectInPlace } from '../../../exporter/src/util/select';
export interface Opts {
  baselineH: number; // robust baseline horizon, hours
  minBase: number; // min cells in baseline
  rangeFloor: number; // σ ≥ rangeFloor·(hi−lo)
  shortMin: number; // likelihood short EWMA time constant, minutes
  longDays: number; // likelihood long-run EW half-life, days
  rangeMargin: number | null; // range rule margin
  rangeDays: number; // range memory, days
  learnH: number;
  short2Min?: number; // second (point-ish) likelihood channel
  seasonal?: { slotMin: number; days: number; minDays: number; jitter: number; mode: 'max' | 'raw' | 'min' };
}
export const D1: Opts = { baselineH: 6, minBase: 24, rangeFloor: 0.01, shortMin: 50, longDays: 30, rangeMargin: 0.05, rangeDays: 14, learnH: 1 };
const K = 5 / 1.6448536269514722;
function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  return s * (1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a));
}
export const calibrate = (z: number) => erf(Math.abs(z) / (K * Math.SQRT2));
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
export const tail = (x: number) => 0.5 * erfc(x / Math.SQRT2);
function select(a: Float64Array, k: number): number {
  return selectInPlace(a, a.length, k);
}
export function med(a: Float64Array): number {
  return select(a, a.length >> 1);
}

/** Decayed range: per-period (day) min/max in a ring. */
export class DayRange {
  private lo: number[] = [];
  private hi: number[] = [];
  private day: number[] = [];
  constructor(
    private days: number,
    private periodMs = 86400000,
  ) {}
  get(): [number, number] {
    let lo = Infinity,
      hi = -Infinity;
    for (let i = 0; i < this.lo.length; i++) {
      lo = Math.min(lo, this.lo[i]);
      hi = Math.max(hi, this.hi[i]);
    }
    return [lo, hi];
  }
  add(t: number, v: number): void {
    const d = Math.floor(t / this.periodMs);
    const k = this.day.length - 1;
    if (k >= 0 && this.day[k] === d) {
      this.lo[k] = Math.min(this.lo[k], v);
      this.hi[k] = Math.max(this.hi[k], v);
      return;
    }
    this.day.push(d);
    this.lo.push(v);
    this.hi.push(v);
    while (this.day.length && this.day[0] <= d - this.days) {
      this.day.shift();
      this.lo.shift();
      this.hi.shift();
    }
  }
}

export function det1(ts: readonly number[], vs: readonly number[], o: Opts = D1): Float64Array {
  const out = new Float64Array(vs.length);
  // step estimate: median of the last dts
  const dts: number[] = [];
  const ring: number[] = [];
  const range = new DayRange(o.rangeDays);
  let sAvg = 0,
    sInit = false;
  let lm = 0,
    lv = 0,
    lw = 0; // EW moments of short average
  let s2 = 0,
    m2 = 0,
    v2 = 0;
  const se = o.seasonal;
  const nSlots = se ? Math.round(1440 / se.slotMin) : 0;
  const sMu = new Float64Array(nSlots),
    sMad = new Float64Array(nSlots),
    sN = new Float64Array(nSlots);
  let curSlot = -1,
    curSum = 0,
    curCnt = 0;
  let ss = 0,
    sm = 0,
    sv = 0; // seasonal channel likelihood state
  const t0 = ts[0];
  let prevT = NaN;
  for (let i = 0; i < vs.length; i++) {
    const t = ts[i],
      v = vs[i];
    if (!Number.isFinite(v) || (Number.isFinite(prevT) && t <= prevT)) {
      out[i] = 0;
      continue;
    }
    const dt = Number.isFinite(prevT) ? t - prevT : NaN;
    if (Number.isFinite(dt)) {
      dts.push(dt);
      if (dts.length > 9) dts.shift();
    }
    prevT = t;
    const step = dts.length ? [...dts].sort((a, b) => a - b)[dts.length >> 1] : 300000;
    const cap = Math.max(o.minBase, Math.round((o.baselineH * 3600000) / step));
    // robust z vs baseline ring
    let raw = 0;
    const [lo, hi] = range.get();
    if (ring.length >= Math.min(o.minBase, cap)) {
      const a = Float64Array.from(ring.slice(-cap));
      const m = med(a);
      for (let k = 0; k < a.length; k++) a[k] = Math.abs(a[k] - m);
      let sc = 1.4826 * med(a);
      sc = Math.max(sc, o.rangeFloor * (hi > lo ? hi - lo : 0), 1e-9 * Math.abs(m), 1e-12);
      raw = calibrate((v - m) / sc);
    }
    // seasonal residual
    let rawS = -1;
    if (se) {
      const slotAbs = Math.floor(t / (se.slotMin * 60000));
      if (slotAbs !== curSlot) {
        if (curSlot >= 0 && curCnt > 0) {
          const k = curSlot % nSlots;
          const m = curSum / curCnt;
          const a = 1 / Math.min(sN[k] + 1, se.days);
          if (sN[k] === 0) {
            sMu[k] = m;
            sMad[k] = 0;
          } else {
            const d = Math.abs(m - sMu[k]);
            sMu[k] += a * (m - sMu[k]);
            sMad[k] += a * (d - sMad[k]);
          }
          sN[k]++;
        }
        curSlot = slotAbs;
        curSum = 0;
        curCnt = 0;
      }
      curSum += v;
      curCnt++;
      const k0 = slotAbs % nSlots;
      let zmin = Infinity,
        ok = false;
      for (let j = -se.jitter; j <= se.jitter; j++) {
        const k = (k0 + j + nSlots) % nSlots;
        if (sN[k] < se.minDays) continue;
        ok = true;
        const sc = Math.max(1.2533 * sMad[k], o.rangeFloor * (hi > lo ? hi - lo : 0), 1e-12);
        zmin = Math.min(zmin, Math.abs(v - sMu[k]) / sc);
      }
      if (ok) rawS = calibrate(zmin);
    }
    // likelihood
    const dtMin = Number.isFinite(dt) ? dt / 60000 : step / 60000;
    const a = 1 - Math.exp(-dtMin / o.shortMin);
    const a2 = o.short2Min ? 1 - Math.exp(-dtMin / o.short2Min) : 1;
    s2 = sInit ? s2 + a2 * (raw - s2) : raw;
    if (se && rawS >= 0 && se.mode === 'raw') raw = rawS;
    if (se && rawS >= 0 && se.mode === 'min') raw = Math.min(raw, rawS);
    if (rawS >= 0) ss = ss + a * (rawS - ss);
    sAvg = sInit ? sAvg + a * (raw - sAvg) : raw;
    sInit = true;
    let score = 0;
    const learned = t - t0 >= o.learnH * 3600000;
    if (learned && lw > 0) {
      const mean = Math.max(lm, 0.03),
        sd = Math.sqrt(Math.max(lv, 0.0003));
      const p = sAvg > mean ? tail((sAvg - mean) / sd) : 0.5;
      score = Math.min(1, -Math.log10(p + 1e-10) / 10);
      if (se && rawS >= 0 && se.mode === 'max') {
        const meanS = Math.max(sm, 0.03),
          sdS = Math.sqrt(Math.max(sv, 0.0003));
        const pS = ss > meanS ? tail((ss - meanS) / sdS) : 0.5;
        score = Math.max(score, Math.min(1, -Math.log10(pS + 1e-10) / 10));
      }
      if (o.short2Min) {
        const mean2 = Math.max(m2, 0.03),
          sd2 = Math.sqrt(Math.max(v2, 0.0003));
        const p2 = s2 > mean2 ? tail((s2 - mean2) / sd2) : 0.5;
        score = Math.max(score, Math.min(1, -Math.log10(p2 + 1e-10) / 10));
      }
    }
    // range rule
    if (o.rangeMargin !== null && hi > lo && learned) {
      const mg = (hi - lo) * o.rangeMargin;
      if (v > hi + mg || v < lo - mg) score = 1;
    }
    out[i] = score;
    // update long-run moments (EW with half-life, weights at least 1/n)
    const hl = o.longDays * 1440;
    const decay = Math.pow(0.5, dtMin / hl);
    lw = lw * decay + 1;
    const w = 1 / lw;
    const d = sAvg - lm;
    lm += w * d;
    lv = (1 - w) * (lv + w * d * d);
    const d2 = s2 - m2;
    m2 += w * d2;
    v2 = (1 - w) * (v2 + w * d2 * d2);
    if (rawS >= 0) {
      const dS = ss - sm;
      sm += w * dS;
      sv = (1 - w) * (sv + w * dS * dS);
    }
    ring.push(v);
    if (ring.length > cap) ring.splice(0, ring.length - cap);
    range.add(t, v);
  }
  return out;
}

/** One alert per episode: first crossing of thr; re-armed after quietH hours below thr·rearmFrac, or refractoryH after the alert. */
export function gate(ts: readonly number[], s: ArrayLike<number>, thr: number, quietH: number, refractoryH: number, rearmFrac = 0.5): Float64Array {
  const out = new Float64Array(s.length);
  let armed = true,
    lastAlert = -Infinity,
    quietSince = NaN;
  for (let i = 0; i < s.length; i++) {
    const t = ts[i],
      x = s[i];
    if (!armed) {
      if (x < thr * rearmFrac) {
        if (Number.isNaN(quietSince)) quietSince = t;
      } else quietSince = NaN;
      if (!Number.isNaN(quietSince) && t - quietSince >= quietH * 3600000 && t - lastAlert >= refractoryH * 3600000) armed = true;
    }
    if (armed && x >= thr) {
      out[i] = 1;
      armed = false;
      lastAlert = t;
      quietSince = NaN;
    }
  }
  return out;
}
