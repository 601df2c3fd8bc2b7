import {
  StreamCheckpointError,
  StreamDetector,
  STREAM_ALERT_THRESHOLD,
  STREAM_DEFAULTS,
  type StreamDetectorOptions,
} from '../../../../../exporter/src/analyse/anomaly/stream';
import { gauss, rng } from '../../../../helpers/random';

/**
 * What a user of the exporter sees from the streaming detector, on synthetic
 * series at the exporter's steps: CPU in cores, memory in bytes, counters.
 */

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** A Monday, 00:00 UTC. */
const T0 = Date.UTC(2026, 0, 5);

/** CPU of a steady process: 0.2 cores, slowly wandering noise (AR(1)) plus measurement noise; never negative. */
function steadyCpu(seed: number): (t: number) => number {
  const r = rng(seed);
  let ar = 0;
  return () => {
    ar = 0.95 * ar + 0.1 * gauss(r);
    return Math.max(0, 0.2 + 0.05 * ar + 0.01 * gauss(r));
  };
}

interface Fed {
  /** Minutes since T0 at which alerts started. */
  alerts: number[];
  /** Minutes since T0 of the first non-null score. */
  firstScore: number;
  maxScore: number;
}

/** Feeds f(t) every `stepSeconds` from `from` to `to` (ms since T0), skipping samples `drop` rejects. */
function feed(d: StreamDetector, from: number, to: number, stepSeconds: number, f: (t: number) => number, drop: (t: number) => boolean = () => false): Fed {
  const out: Fed = { alerts: [], firstScore: NaN, maxScore: 0 };
  for (let t = T0 + from; t < T0 + to; t += stepSeconds * 1000) {
    if (drop(t)) continue;
    const s = d.update(t, f(t));
    if (s !== null) {
      if (Number.isNaN(out.firstScore)) out.firstScore = (t - T0) / MIN;
      out.maxScore = Math.max(out.maxScore, s);
    }
    if (d.alertStarted) out.alerts.push((t - T0) / MIN);
  }
  return out;
}

describe('StreamDetector: what a user sees', () => {
  it.each([1, 5, 15, 60])(
    'scores a step in CPU (0.2 → 0.8 cores) above the threshold within 5 minutes at a %i s step, after 6 quiet hours without an alert',
    (step) => {
      const d = new StreamDetector();
      const cpu = steadyCpu(step);
      const quiet = feed(d, 0, 6 * HOUR, step, cpu);
      expect(quiet.alerts).toEqual([]);
      const after = feed(d, 6 * HOUR, 7 * HOUR, step, (t) => cpu(t) + 0.6);
      expect(after.alerts.length).toBeGreaterThanOrEqual(1);
      expect(after.alerts[0] - 360).toBeLessThanOrEqual(5);
      expect(after.maxScore).toBeGreaterThanOrEqual(STREAM_ALERT_THRESHOLD);
    },
  );

  it.each([5, 15, 60])('scores a slow ramp (+0.3 cores an hour on noise of σ ≈ 0.02) above the threshold within 30 minutes at a %i s step', (step) => {
    const d = new StreamDetector();
    const cpu = steadyCpu(100 + step);
    expect(feed(d, 0, 6 * HOUR, step, cpu).alerts).toEqual([]);
    const ramp = feed(d, 6 * HOUR, 8 * HOUR, step, (t) => cpu(t) + (0.3 * (t - T0 - 6 * HOUR)) / HOUR);
    expect(ramp.alerts.length).toBeGreaterThanOrEqual(1);
    expect(ramp.alerts[0] - 360).toBeLessThanOrEqual(30);
  });

  it('flags a one-minute spike far above anything seen at once at a 60 s step, but not a one-minute blip inside the usual range', () => {
    const d = new StreamDetector();
    const cpu = steadyCpu(24);
    expect(feed(d, 0, 12 * HOUR, 60, cpu).alerts).toEqual([]);
    const blip = feed(d, 12 * HOUR, 14 * HOUR, 60, (t) => cpu(t) + (t === T0 + 12 * HOUR + 30 * MIN ? 0.04 : 0));
    expect(blip.alerts).toEqual([]);
    const spike = feed(d, 14 * HOUR, 16 * HOUR, 60, (t) => cpu(t) + (t === T0 + 14 * HOUR + 30 * MIN ? 1.5 : 0));
    expect(spike.alerts).toEqual([14 * 60 + 30]);
  });

  it('scores a step at hourly steps on the first point after it (parameters are in time, so an hourly series works too)', () => {
    const d = new StreamDetector();
    const r = rng(5);
    const level = (t: number): number => 100 + 20 * Math.sin((2 * Math.PI * ((t - T0) % DAY)) / DAY) + 2 * gauss(r);
    expect(feed(d, 0, 20 * DAY, 3600, level).alerts.filter((m) => m > 3 * 24 * 60)).toEqual([]);
    const shifted = feed(d, 20 * DAY, 21 * DAY, 3600, (t) => level(t) + 60);
    expect(shifted.alerts[0]).toBe((20 * DAY) / MIN);
  });

  it.each([15, 60])('does not flag a daily cycle the series has shown for days (%i s step; business hours plus a smooth wave, 4 days)', (step) => {
    const d = new StreamDetector();
    const r = rng(step);
    let ar = 0;
    const daily = (t: number): number => {
      ar = 0.95 * ar + 0.1 * gauss(r);
      const h = ((t - T0) % DAY) / HOUR;
      return 0.2 + (h >= 9 && h < 18 ? 0.5 : 0) + 0.3 * Math.sin((2 * Math.PI * h) / 24) ** 2 + 0.05 * ar;
    };
    const fed = feed(d, 0, 4 * DAY, step, daily);
    // The first day is new (the 9:00 rise is a first); from day 3 on the cycle is known.
    expect(fed.alerts.filter((m) => m >= 2 * 24 * 60)).toEqual([]);
  });

  it('reports "learning" (null scores) for its first 12 minutes at a 15 s step, then scores', () => {
    const d = new StreamDetector();
    expect(d.status).toBe('learning');
    const cpu = steadyCpu(3);
    const first = feed(d, 0, 30 * MIN, 15, cpu);
    expect(first.firstScore).toBeGreaterThanOrEqual(11);
    expect(first.firstScore).toBeLessThanOrEqual(13);
    expect(d.status).toBe('ready');
    expect(first.alerts).toEqual([]);
  });

  it('scores from its first minutes at a 1 s step too (one cell per minute)', () => {
    const d = new StreamDetector();
    const fed = feed(d, 0, 20 * MIN, 1, steadyCpu(4));
    expect(fed.firstScore).toBeLessThanOrEqual(13);
    expect(fed.alerts).toEqual([]);
  });

  it('takes a restart (reset of the level) without an alert: the memory drops and refills, CPU bursts at start-up', () => {
    const mem = new StreamDetector({ minScale: 4 * 1024 * 1024 });
    const cpu = new StreamDetector({ minScale: 0.02 });
    const r = rng(9);
    const MB = 1024 * 1024;
    const steadyMem = (): number => 500 * MB + 2 * MB * gauss(r);
    const c = steadyCpu(9);
    expect(feed(mem, 0, 6 * HOUR, 15, steadyMem).alerts).toEqual([]);
    expect(feed(cpu, 0, 6 * HOUR, 15, c).alerts).toEqual([]);
    mem.restart(T0 + 6 * HOUR);
    cpu.restart(T0 + 6 * HOUR);
    expect(mem.status).toBe('settling');
    const refill = (t: number): number => Math.min(500 * MB, 100 * MB + (400 * MB * (t - T0 - 6 * HOUR)) / (10 * MIN)) + 2 * MB * gauss(r);
    const burst = (t: number): number => (t - T0 - 6 * HOUR < 2 * MIN ? 1.5 : c(t));
    const m = feed(mem, 6 * HOUR, 12 * HOUR, 15, refill);
    const p = feed(cpu, 6 * HOUR, 12 * HOUR, 15, burst);
    expect(m.alerts).toEqual([]);
    expect(p.alerts).toEqual([]);
    expect(mem.status).toBe('ready');
    expect(m.firstScore - 360).toBeGreaterThanOrEqual(15); // the transient is not scored
  });

  it('flags a process that comes back from a restart at another level, once, after the grace time', () => {
    const d = new StreamDetector();
    const cpu = steadyCpu(21);
    expect(feed(d, 0, 6 * HOUR, 15, cpu).alerts).toEqual([]);
    d.restart(T0 + 6 * HOUR);
    const after = feed(d, 6 * HOUR, 9 * HOUR, 15, (t) => cpu(t) + 0.8);
    expect(after.alerts.length).toBe(1);
    expect(after.alerts[0] - 360).toBeGreaterThanOrEqual(15);
    expect(after.alerts[0] - 360).toBeLessThanOrEqual(20);
  });

  it('forgets everything on reset() (a new series under the same name): learning again, then scoring', () => {
    const d = new StreamDetector();
    const cpu = steadyCpu(23);
    feed(d, 0, 2 * HOUR, 15, cpu);
    expect(d.status).toBe('ready');
    d.reset();
    expect(d.status).toBe('learning');
    expect(d.bytes()).toBe(new StreamDetector().bytes());
    const again = feed(d, 2 * HOUR, 3 * HOUR, 15, cpu);
    expect(again.firstScore - 120).toBeGreaterThanOrEqual(11);
    expect(again.firstScore - 120).toBeLessThanOrEqual(13);
    expect(JSON.stringify(d.toJSON())).not.toContain('"lastCellT":null');
  });

  it('takes a counter reset without an alert (a counter is scored as its rate; a decrease re-bases it)', () => {
    const d = new StreamDetector({ kind: 'counter' });
    const r = rng(11);
    let total = 5e6;
    let last = T0;
    const counter = (t: number): number => {
      total += ((t - last) / 1000) * (1000 + 50 * gauss(r));
      last = t;
      return total;
    };
    expect(feed(d, 0, 6 * HOUR, 15, counter).alerts).toEqual([]);
    total = 0; // the process restarted: its counter starts again from 0
    const after = feed(d, 6 * HOUR, 12 * HOUR, 15, counter);
    expect(after.alerts).toEqual([]);
    expect(d.status).toBe('ready');
  });

  it('takes missing samples (30 % dropped, a 20-minute and a 3-hour gap) without an alert', () => {
    const d = new StreamDetector();
    const r = rng(12);
    const cpu = steadyCpu(12);
    const gap = (t: number): boolean => (t >= T0 + 8 * HOUR && t < T0 + 8 * HOUR + 20 * MIN) || (t >= T0 + 14 * HOUR && t < T0 + 17 * HOUR) || r() < 0.3;
    const fed = feed(d, 0, 24 * HOUR, 15, cpu, gap);
    expect(fed.alerts).toEqual([]);
    expect(d.status).toBe('ready');
  });

  it('takes a change of step (15 s, then 60 s, then 5 s, then 1 s) without an alert', () => {
    const d = new StreamDetector();
    const cpu = steadyCpu(13);
    const alerts = [
      ...feed(d, 0, 6 * HOUR, 15, cpu).alerts,
      ...feed(d, 6 * HOUR, 12 * HOUR, 60, cpu).alerts,
      ...feed(d, 12 * HOUR, 14 * HOUR, 5, cpu).alerts,
      ...feed(d, 14 * HOUR, 15 * HOUR, 1, cpu).alerts,
    ];
    expect(alerts).toEqual([]);
    expect(d.stepMs).toBe(1000);
  });

  it('gives identical scores and alerts after a checkpoint round trip (through JSON text)', () => {
    const a = new StreamDetector();
    const r = rng(14);
    const f = (t: number): number => 10 + 5 * Math.sin((2 * Math.PI * ((t - T0) % DAY)) / DAY) + gauss(r);
    feed(a, 0, 2 * DAY + 7 * HOUR + 17 * MIN, 60, f);
    const b = StreamDetector.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(b.status).toBe(a.status);
    const r2 = rng(15);
    const g = (t: number): number => 10 + 5 * Math.sin((2 * Math.PI * ((t - T0) % DAY)) / DAY) + gauss(r2) + (t > T0 + 2.5 * DAY ? 30 : 0);
    const sa: Array<number | null> = [];
    const sb: Array<number | null> = [];
    const alerts: boolean[][] = [[], []];
    for (let t = T0 + 2 * DAY + 7 * HOUR + 17 * MIN; t < T0 + 3 * DAY; t += 60_000) {
      const v = g(t);
      sa.push(a.update(t, v));
      alerts[0].push(a.alertStarted);
      sb.push(b.update(t, v));
      alerts[1].push(b.alertStarted);
    }
    expect(sb).toEqual(sa);
    expect(alerts[1]).toEqual(alerts[0]);
    expect(alerts[0].some(Boolean)).toBe(true); // the continuation's shift alerted, in both
  });

  it('never throws on bad input (NaN, ±Infinity, out-of-order and repeated timestamps) and is not poisoned by it', () => {
    const clean = new StreamDetector();
    const dirty = new StreamDetector();
    const cpu = steadyCpu(16);
    const r = rng(17);
    const outClean: Array<number | null> = [];
    const outDirty: Array<number | null> = [];
    for (let t = T0; t < T0 + 8 * HOUR; t += 15_000) {
      const v = cpu(t) + (t > T0 + 7 * HOUR ? 1 : 0);
      if (r() < 0.2) {
        for (const [bt, bv] of [
          [t, NaN],
          [t, Infinity],
          [t, -Infinity],
          [NaN, 1],
          [t - 3_600_000, 5],
          [Infinity, 1],
        ] as Array<[number, number]>) {
          expect(() => dirty.update(bt, bv)).not.toThrow();
        }
      }
      outClean.push(clean.update(t, v));
      outDirty.push(dirty.update(t, v));
      expect(() => dirty.update(t, v * 1000)).not.toThrow(); // a repeated timestamp is ignored
    }
    expect(outDirty).toEqual(outClean);
    expect(dirty.toJSON()).toEqual(clean.toJSON());
    expect(outClean.some((s) => s !== null && s >= STREAM_ALERT_THRESHOLD)).toBe(true);
  });

  it('refuses a checkpoint of another version or with a corrupt field, and bad options', () => {
    const d = new StreamDetector();
    feed(d, 0, 2 * HOUR, 60, steadyCpu(18));
    const good = JSON.parse(JSON.stringify(d.toJSON())) as Record<string, unknown>;
    expect(() => StreamDetector.fromJSON({ ...good, version: 99 })).toThrow(StreamCheckpointError);
    expect(() => StreamDetector.fromJSON({ ...good, baseline: { t: [1, 2], x: [1] } })).toThrow(StreamCheckpointError);
    expect(() => StreamDetector.fromJSON({ ...good, score: 7 })).toThrow(StreamCheckpointError);
    expect(() => StreamDetector.fromJSON({ ...good, levelLik: { ...(good.levelLik as object), variance: 'x' } })).toThrow(StreamCheckpointError);
    expect(() => StreamDetector.fromJSON(null)).toThrow(StreamCheckpointError);
    expect(() => new StreamDetector({ baselineHours: 0 })).toThrow(RangeError);
    expect(() => new StreamDetector({ alertThreshold: 1.5 })).toThrow(RangeError);
    expect(() => new StreamDetector({ kind: 'rate' as StreamDetectorOptions['kind'] })).toThrow(RangeError);
    expect(() => new StreamDetector({ bounds: { min: 1, max: 0 } })).toThrow(RangeError);
    expect(() => new StreamDetector({ bounds: { max: NaN } })).toThrow(RangeError);
  });

  it('holds at most 64 KiB of state per series, and its checkpoint stays under 64 KiB of JSON', () => {
    const d = new StreamDetector();
    expect(d.bytes()).toBeLessThanOrEqual(64 * 1024);
    feed(d, 0, 2 * DAY, 60, steadyCpu(19));
    expect(JSON.stringify(d.toJSON()).length).toBeLessThan(64 * 1024);
  });

  it('clamps values to a one-sided bound (a rate is never below 0)', () => {
    const a = new StreamDetector({ bounds: { min: 0 } });
    const b = new StreamDetector({ bounds: { min: 0 } });
    const cpu = steadyCpu(22);
    for (let t = T0; t < T0 + HOUR; t += 15_000) {
      const v = cpu(t) - 0.2; // about half the samples below 0
      expect(a.update(t, Math.max(0, v))).toBe(b.update(t, v));
    }
  });

  it('clamps values to natural bounds (a CPU share above 100 % is 100 %)', () => {
    const a = new StreamDetector({ bounds: { min: 0, max: 1 } });
    const b = new StreamDetector({ bounds: { min: 0, max: 1 } });
    const cpu = steadyCpu(20);
    for (let t = T0; t < T0 + 2 * HOUR; t += 15_000) {
      const v = cpu(t) + (t > T0 + HOUR ? 0.9 : 0);
      expect(a.update(t, Math.min(1, v))).toBe(b.update(t, v >= 1 ? v + 3 : v));
    }
  });

  it.each([
    [true, 0.5],
    [false, 0],
  ])('gives a band whose bound, held, scores the threshold and whose inside does not (time of day: %s, daily wave ± %s)', (timeOfDay, wave) => {
    // Four days of noise (with a daily wave), then three hours held at 0.9 and at 1.1 of the upper band's distance from its centre.
    // Without the time of day, the band is the level channel's: its score is what must cross (a daily wave
    // would teach that channel to expect large excursions; the time-of-day band is for those series).
    const maxAt = (factor: number): number => {
      const r = rng(31);
      const d = new StreamDetector({ minScale: 0.02, bounds: { min: 0 } });
      let t = T0;
      for (; t < T0 + 4 * DAY; t += 15_000) d.update(t, 1 + wave * Math.sin((2 * Math.PI * (t % DAY)) / DAY) + 0.05 * gauss(r));
      let max = 0;
      for (const end = t + 3 * HOUR; t < end; t += 15_000) {
        const b = d.band(t, { timeOfDay })!;
        d.update(t, b.center + factor * (b.upper - b.center));
        max = Math.max(max, timeOfDay ? (d.lastScore ?? 0) : d.components.level);
      }
      return max;
    };
    expect(maxAt(0.9)).toBeLessThan(STREAM_ALERT_THRESHOLD);
    expect(maxAt(1.1)).toBeGreaterThanOrEqual(STREAM_ALERT_THRESHOLD);
  });

  it('has no band while learning, and a usual change per second from its recent cells', () => {
    const d = new StreamDetector();
    d.update(T0, 1);
    expect(d.band(T0, { timeOfDay: true })).toBeNull();
    for (let t = T0; t < T0 + HOUR; t += 15_000) d.update(t, 1e8 + (t - T0) * 0.5); // 500 bytes per second
    expect(d.usualChangePerSecond(T0 + HOUR)).toBeCloseTo(500, 6);
    expect(StreamDetector.learningMs({}, 15_000)).toBe(12 * MIN);
    expect(StreamDetector.learningMs({}, 5 * MIN)).toBe(HOUR);
  });

  it('ships its defaults and threshold as constants', () => {
    expect(STREAM_DEFAULTS.alertThreshold).toBe(STREAM_ALERT_THRESHOLD);
    expect(new StreamDetector().options).toEqual({ ...STREAM_DEFAULTS });
  });
});
