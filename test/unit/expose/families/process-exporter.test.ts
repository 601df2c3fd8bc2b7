import { processExporterFamilies } from '../../../../exporter/src/expose/families/process-exporter';
import type { ExporterState } from '../../../../exporter/src/expose/family';
import { collectionSnapshot, groupSnapshot, hostSnapshot } from '../../../helpers/synthetic';
import { PROCESS_EXPORTER_NAMES } from '@procsight/contract';

const zero = {
  cpuUserSeconds: 0,
  cpuSystemSeconds: 0,
  readBytes: 0,
  writeBytes: 0,
  majorFaults: 0,
  minorFaults: 0,
  voluntaryCtxSwitches: 0,
  nonvoluntaryCtxSwitches: 0,
};

function state(): ExporterState {
  const web = {
    ...groupSnapshot('web', {
      counters: { cpuUserSeconds: 3, cpuSystemSeconds: 1, writeBytes: 4096 },
      gauges: { rssBytes: 100, vmsBytes: 200, threads: 3, openFds: 7, fdLimitRatio: 0.5 },
      processes: 2,
    }),
  };
  web.processExporter = {
    states: { Running: 1, Sleeping: 4, Waiting: 0, Zombie: 0, Other: 0 },
    pssBytes: 80,
    swapPssBytes: 0,
    oldestStartTimeSeconds: 1_700_000_000.5,
    threads: [{ name: 'worker', count: 2, counters: { ...zero, cpuUserSeconds: 1.5 } }],
  };
  const plain = groupSnapshot('plain'); // summed without process-exporter's figures: not exported
  const snap = collectionSnapshot([web, plain], { timestampMs: 0, intervalSeconds: 5, host: hostSnapshot() });
  return { snapshot: () => snap, analysis: () => null, forecasts: () => [], hostInfo: () => null };
}

const samples = (families: ReturnType<typeof processExporterFamilies>, name: string) => [...families.find((f) => f.name === name)!.samples(state())];

describe("process-exporter's series", () => {
  it('have its names, label names and help', () => {
    const all = processExporterFamilies({ threads: true, smaps: true });
    expect(all.map((f) => f.name).sort()).toEqual(
      Object.values(PROCESS_EXPORTER_NAMES)
        .filter((n) => n.startsWith('namedprocess_namegroup_'))
        .sort(),
    );
    expect(all.find((f) => f.name === PROCESS_EXPORTER_NAMES.cpuSecondsTotal)).toMatchObject({
      type: 'counter',
      labelNames: ['groupname', 'mode'],
      help: 'Cpu user usage in seconds',
    });
    expect(processExporterFamilies({ threads: false, smaps: false }).some((f) => f.name.includes('_thread_'))).toBe(false);
  });

  it('carry the group sums under groupname, only for groups with process-exporter figures', () => {
    const f = processExporterFamilies({ threads: true, smaps: true });
    expect(samples(f, PROCESS_EXPORTER_NAMES.numProcs)).toEqual([[{ groupname: 'web' }, 2]]);
    expect(samples(f, PROCESS_EXPORTER_NAMES.memoryBytes)).toEqual([
      [{ groupname: 'web', memtype: 'resident' }, 100],
      [{ groupname: 'web', memtype: 'virtual' }, 200],
      [{ groupname: 'web', memtype: 'swapped' }, 0],
      [{ groupname: 'web', memtype: 'proportionalResident' }, 80],
      [{ groupname: 'web', memtype: 'proportionalSwapped' }, 0],
    ]);
    expect(samples(f, PROCESS_EXPORTER_NAMES.states).map(([l, v]) => `${l.state}=${v}`)).toEqual([
      'Running=1',
      'Sleeping=4',
      'Waiting=0',
      'Zombie=0',
      'Other=0',
    ]);
    expect(samples(f, PROCESS_EXPORTER_NAMES.threadCpuSecondsTotal)).toContainEqual([{ groupname: 'web', threadname: 'worker', mode: 'user' }, 1.5]);
    expect(samples(f, PROCESS_EXPORTER_NAMES.oldestStartTimeSeconds)).toEqual([[{ groupname: 'web' }, 1_700_000_000.5]]);
    expect(samples(processExporterFamilies({ threads: false, smaps: false }), PROCESS_EXPORTER_NAMES.memoryBytes)).toHaveLength(3);
  });
});
