import { parseSmapsRollup, readSmaps, readThreads } from '../../../exporter/src/read/detail';
import { ProcFs } from '../../../exporter/src/read/procfs';
import { readdirSync } from 'node:fs';

describe("process-exporter's extra reads", () => {
  it('parses smaps_rollup', () => {
    const text =
      '55a0c8c0b000-7ffd1e9f1000 ---p 00000000 00:00 0                          [rollup]\nRss:               48384 kB\nPss:               21046 kB\nPss_Anon:          12000 kB\nSwap:                 12 kB\nSwapPss:               8 kB\n';
    expect(parseSmapsRollup(text)).toEqual({ pssBytes: 21046 * 1024, swapPssBytes: 8 * 1024 });
    expect(parseSmapsRollup('')).toEqual({ pssBytes: 0, swapPssBytes: 0 });
  });

  it("reads this process's PSS and every thread with its name, state and counters", () => {
    const fs = new ProcFs('/proc');
    const failures: string[] = [];
    const fail = (field: string) => (failures.push(field), null);
    const smaps = readSmaps(fs, process.pid, fail);
    expect(smaps.pssBytes).toBeGreaterThan(1024 * 1024);
    const tids = readdirSync(`/proc/${process.pid}/task`);
    expect(tids.length).toBeGreaterThan(1); // node has worker threads
    const threads = readThreads(fs, process.pid, tids, { counters: true, fail });
    expect(threads.length).toBe(tids.length);
    const main = threads.find((t) => t.tid === process.pid)!;
    expect(main.cpuUserSeconds + main.cpuSystemSeconds).toBeGreaterThan(0);
    expect(main.voluntaryCtxSwitches).toBeGreaterThan(0);
    expect(main.readBytes).not.toBeNull();
    expect(threads.every((t) => t.name.length > 0 && t.tid > 0)).toBe(true);
    // States only: no io or status read.
    expect(readThreads(fs, process.pid, tids, { counters: false, fail })[0].voluntaryCtxSwitches).toBeNull();
    // A thread that is gone is left out without a failure.
    expect(readThreads(fs, process.pid, ['999999999'], { counters: true, fail })).toEqual([]);
    expect(failures).toEqual([]);
  });
});
