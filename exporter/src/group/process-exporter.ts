import type { ProcState } from '@procsight/contract';
import type { ThreadCounters, TrackedProcess } from '../track/tracker';
import { PE_STATES, type PeState, type ProcessExporterGroup } from './types';

/** Most thread names per group: further names are summed under `other` (process-exporter has no cap; cardinality must have one). */
export const MAX_THREAD_NAMES = 100;
const OTHER_THREADS = 'other';

const PE_STATE: Partial<Record<ProcState, PeState>> = { running: 'Running', sleeping: 'Sleeping', disk_sleep: 'Waiting', zombie: 'Zombie' };
const peState = (s: ProcState): PeState => PE_STATE[s] ?? 'Other';

const zeroThread = (): ThreadCounters => ({
  cpuUserSeconds: 0,
  cpuSystemSeconds: 0,
  readBytes: 0,
  writeBytes: 0,
  majorFaults: 0,
  minorFaults: 0,
  voluntaryCtxSwitches: 0,
  nonvoluntaryCtxSwitches: 0,
});

function addThread(into: ThreadCounters, d: ThreadCounters): void {
  for (const k of Object.keys(into) as Array<keyof ThreadCounters>) into[k] += d[k];
}

interface Cycle {
  states: Record<PeState, number>;
  pssBytes: number;
  swapPssBytes: number;
  oldest: number | null;
  threads: Map<string, { count: number; delta: ThreadCounters }>;
}

/**
 * process-exporter's per-group figures, summed beside the grouper's own
 * (group/grouper.ts calls it per process and per group). Thread totals follow
 * its rules: per group and thread name, this cycle's growth plus what the
 * name had accumulated, as long as the name has threads in every cycle; a
 * name that disappears starts again from 0.
 */
export class ProcessExporterGrouping {
  private cycle = new Map<string, Cycle>();
  private readonly threadTotals = new Map<string, Map<string, ThreadCounters>>();

  begin(): void {
    this.cycle = new Map();
  }

  add(group: string, p: TrackedProcess): void {
    let c = this.cycle.get(group);
    if (!c) {
      c = {
        states: Object.fromEntries(PE_STATES.map((s) => [s, 0])) as Record<PeState, number>,
        pssBytes: 0,
        swapPssBytes: 0,
        oldest: null,
        threads: new Map(),
      };
      this.cycle.set(group, c);
    }
    const s = p.sample;
    c.states[peState(s.state)]++;
    for (const t of s.threadDetail ?? []) c.states[peState(t.state)]++;
    c.pssBytes += s.pssBytes ?? 0;
    c.swapPssBytes += s.swapPssBytes ?? 0;
    const start = p.identity.startTimeSeconds;
    if (start !== undefined && (c.oldest === null || start < c.oldest)) c.oldest = start;
    for (const t of p.threadDelta ?? []) {
      const name = c.threads.has(t.name) || c.threads.size < MAX_THREAD_NAMES ? t.name : OTHER_THREADS;
      let e = c.threads.get(name);
      if (!e) c.threads.set(name, (e = { count: 0, delta: zeroThread() }));
      e.count++;
      addThread(e.delta, t.delta);
    }
  }

  /** The group's figures for this cycle (zeros and no threads when it has no process). */
  finish(group: string): ProcessExporterGroup {
    const c = this.cycle.get(group);
    const before = this.threadTotals.get(group);
    const totals = new Map<string, ThreadCounters>();
    const threads: ProcessExporterGroup['threads'] = [];
    for (const [name, e] of c?.threads ?? []) {
      const total = { ...(before?.get(name) ?? zeroThread()) };
      addThread(total, e.delta);
      totals.set(name, total);
      threads.push({ name, count: e.count, counters: { ...total } });
    }
    if (totals.size > 0) this.threadTotals.set(group, totals);
    else this.threadTotals.delete(group);
    return {
      states: c?.states ?? (Object.fromEntries(PE_STATES.map((s) => [s, 0])) as Record<PeState, number>),
      pssBytes: c?.pssBytes ?? 0,
      swapPssBytes: c?.swapPssBytes ?? 0,
      oldestStartTimeSeconds: c?.oldest ?? null,
      threads,
    };
  }

  forget(group: string): void {
    this.threadTotals.delete(group);
  }
}
