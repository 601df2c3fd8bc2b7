import { MAX_THREAD_NAMES, ProcessExporterGrouping } from '../../../exporter/src/group/process-exporter';
import type { TrackedProcess, ThreadCounters } from '../../../exporter/src/track/tracker';
import type { ThreadSample } from '../../../exporter/src/read/types';
import { identity, sample } from '../../helpers/synthetic';

const zero: ThreadCounters = {
  cpuUserSeconds: 0,
  cpuSystemSeconds: 0,
  readBytes: 0,
  writeBytes: 0,
  majorFaults: 0,
  minorFaults: 0,
  voluntaryCtxSwitches: 0,
  nonvoluntaryCtxSwitches: 0,
};
const thread = (tid: number, name: string, state: ThreadSample['state'] = 'sleeping'): ThreadSample => ({
  tid,
  name,
  state,
  cpuUserSeconds: 0,
  cpuSystemSeconds: 0,
  minorFaults: 0,
  majorFaults: 0,
  readBytes: 0,
  writeBytes: 0,
  voluntaryCtxSwitches: 0,
  nonvoluntaryCtxSwitches: 0,
});

function proc(
  pid: number,
  over: { state?: ThreadSample['state']; threads?: ThreadSample[]; deltas?: Array<[string, number]>; start?: number; pss?: number },
): TrackedProcess {
  return {
    identity: identity(pid, 'app', over.start !== undefined ? { startTimeSeconds: over.start } : {}),
    group: 'app',
    sample: sample(pid, {
      state: over.state ?? 'sleeping',
      threads: over.threads?.length ?? 1,
      threadDetail: over.threads ?? null,
      pssBytes: over.pss ?? null,
      swapPssBytes: 0,
    }),
    delta: {
      cpuUserSeconds: 0,
      cpuSystemSeconds: 0,
      readBytes: 0,
      writeBytes: 0,
      voluntaryCtxSwitches: 0,
      nonvoluntaryCtxSwitches: 0,
      cpuWaitSeconds: 0,
      timeslices: 0,
      majorFaults: 0,
      minorFaults: 0,
      blkioDelaySeconds: 0,
    },
    isNew: false,
    fdSlope: null,
    ...(over.deltas ? { threadDelta: over.deltas.map(([name, cpu]) => ({ name, delta: { ...zero, cpuUserSeconds: cpu } })) } : {}),
  };
}

describe("process-exporter's group figures", () => {
  it('counts states as process-exporter does: the process, plus each thread when it has several', () => {
    const g = new ProcessExporterGrouping();
    g.begin();
    g.add('app', proc(1, { state: 'running' }));
    g.add('app', proc(2, { threads: [thread(2, 'app', 'running'), thread(3, 'w', 'disk_sleep'), thread(4, 'w', 'stopped')] }));
    g.add('app', proc(5, { state: 'zombie' }));
    expect(g.finish('app').states).toEqual({ Running: 2, Sleeping: 1, Waiting: 1, Zombie: 1, Other: 1 });
  });

  it('sums PSS and keeps the oldest start', () => {
    const g = new ProcessExporterGrouping();
    g.begin();
    g.add('app', proc(1, { start: 200, pss: 1000 }));
    g.add('app', proc(2, { start: 100, pss: 500 }));
    expect(g.finish('app')).toMatchObject({ pssBytes: 1500, oldestStartTimeSeconds: 100 });
    g.begin();
    expect(g.finish('app')).toMatchObject({ pssBytes: 0, oldestStartTimeSeconds: null, threads: [] });
  });

  it('accumulates thread totals per name while the name lasts, and starts again from 0 after a gap', () => {
    const g = new ProcessExporterGrouping();
    const cycle = (deltas: Array<[string, number]>) => {
      g.begin();
      g.add('app', proc(1, { threads: deltas.map(([n], i) => thread(10 + i, n)), deltas }));
      return Object.fromEntries(g.finish('app').threads.map((t) => [t.name, [t.count, t.counters.cpuUserSeconds]]));
    };
    expect(
      cycle([
        ['w', 1],
        ['w', 2],
        ['io', 1],
      ]),
    ).toEqual({ w: [2, 3], io: [1, 1] });
    expect(
      cycle([
        ['w', 1],
        ['io', 1],
      ]),
    ).toEqual({ w: [1, 4], io: [1, 2] });
    expect(cycle([['w', 1]])).toEqual({ w: [1, 5] });
    expect(
      cycle([
        ['w', 0],
        ['io', 1],
      ]),
    ).toEqual({ w: [1, 5], io: [1, 1] }); // io was gone for a cycle
  });

  it(`caps thread names at ${MAX_THREAD_NAMES} per group, summing the rest under "other"`, () => {
    const g = new ProcessExporterGrouping();
    g.begin();
    const deltas = Array.from({ length: MAX_THREAD_NAMES + 20 }, (_, i): [string, number] => [`t${i}`, 1]);
    g.add('app', proc(1, { threads: deltas.map(([n], i) => thread(i + 2, n)), deltas }));
    const threads = g.finish('app').threads;
    expect(threads).toHaveLength(MAX_THREAD_NAMES + 1);
    expect(threads.find((t) => t.name === 'other')).toMatchObject({ count: 20, counters: expect.objectContaining({ cpuUserSeconds: 20 }) });
  });
});
