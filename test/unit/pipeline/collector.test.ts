import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../exporter/src/log/logger';
import { Collector } from '../../../exporter/src/pipeline/collector';
import type { ProcReader } from '../../../exporter/src/read/reader';
import { createLinuxReader } from '../../../exporter/src/read/linux-reader';
import { parseStat } from '../../../exporter/src/read/parse/stat';
import { parseCtxSwitches } from '../../../exporter/src/read/parse/status';
import { CLOCK_TICKS } from '../../../exporter/src/read/process';
import { ProcFs } from '../../../exporter/src/read/procfs';
import { recordingLogger } from '../../helpers/logger';
import { errno, FIXTURES_PROC, RefusingProcFs } from '../../helpers/procfs';

/**
 * Transient read failures (EMFILE, EIO) on the real /proc of this test's own
 * process (a multi-threaded node): the kernel cannot be made to fail a read on
 * demand, so a ProcFs subclass throws for chosen files in chosen cycles.
 */
const SELF = process.pid;
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

class FlakyProcFs extends ProcFs {
  /** Paths (parts joined by '/') that fail with EIO in the current cycle. */
  failing: (path: string) => boolean = () => false;
  /** Paths whose content is replaced (weird /proc content). */
  garbled: (path: string) => string | undefined = () => undefined;
  override read(...parts: Array<string | number>): string {
    const path = parts.join('/');
    if (this.failing(path)) throw errno('EIO', 'injected');
    return this.garbled(path) ?? super.read(...parts);
  }
}

function collector(fs: FlakyProcFs, listFails: () => boolean): Collector {
  const inner = createLinuxReader({ fs, threadTaskCap: 256, logger: quiet, cgroupRoot: '/nonexistent', privileged: true });
  const reader: ProcReader = {
    ...inner,
    // Only this process: keeps the cycle short and the assertion exact.
    listPids: () => {
      if (listFails()) throw errno('EMFILE', 'injected');
      return inner.listPids().filter((p) => p === SELF);
    },
    // No `previous`: every cycle reads the threads' files.
    readSample: (pid) => inner.readSample(pid),
  };
  return new Collector({
    reader,
    nameOf: (id) => (id.pid === SELF ? 'self' : null),
    grouper: { maxGroups: 10, declared: [], pidSeriesGroups: new Set(), pidSeriesMax: 0, emptyGroupTtlMs: 60_000, maxCgroupsPerGroup: 4 },
    batchSize: 64,
    maxCgroupPressure: 0,
    logger: quiet,
  });
}

function burn(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) Math.sqrt(Math.random());
}

function selfCpuSeconds(): number {
  const st = parseStat(readFileSync(`/proc/${SELF}/stat`, 'latin1'));
  return (st.utimeTicks + st.stimeTicks) / CLOCK_TICKS;
}

function selfVoluntarySwitches(): number {
  let sum = 0;
  for (const tid of readdirSync(`/proc/${SELF}/task`)) sum += parseCtxSwitches(readFileSync(`/proc/${SELF}/task/${tid}/status`, 'latin1')).voluntary;
  return sum;
}

describe("transient read failures never count a process's history twice (real /proc, injected EIO/EMFILE)", () => {
  it('keeps the baseline through a failed process listing and a failed stat read', async () => {
    const fs = new FlakyProcFs();
    let cycle = 0;
    const c = collector(fs, () => cycle === 2);
    fs.failing = (p) => cycle === 4 && p === `${SELF}/stat`;
    const errors: Record<string, number> = {};
    let cpu = 0;
    for (cycle = 0; cycle < 7; cycle++) {
      burn(30);
      const { snapshot } = await c.cycle();
      for (const [k, n] of Object.entries(snapshot.read.errors)) errors[k] = (errors[k] ?? 0) + (n ?? 0);
      const g = snapshot.groups.find((x) => x.name === 'self');
      if (g) cpu = g.counters.cpuUserSeconds + g.counters.cpuSystemSeconds;
    }
    // Before the fix each failure added the whole history again (about 2× and 3× the truth).
    expect(cpu).toBeLessThanOrEqual(selfCpuSeconds() + 0.02);
    expect(cpu).toBeGreaterThan(0.5 * selfCpuSeconds());
    expect(errors.io).toBeGreaterThanOrEqual(2);
  });

  it('treats a thread sum with a failed thread file as unknown for that cycle, not as a dip and a rebound', async () => {
    const fs = new FlakyProcFs();
    let cycle = 0;
    const c = collector(fs, () => false);
    const firstThread = readdirSync(`/proc/${SELF}/task`).sort((a, b) => Number(a) - Number(b))[0];
    fs.failing = (p) => cycle === 2 && (p === `${SELF}/task/${firstThread}/status` || p === `${SELF}/task/${firstThread}/schedstat`);
    let errors = 0;
    let switches = 0;
    let during: number | null | undefined = 0;
    for (cycle = 0; cycle < 5; cycle++) {
      await new Promise((r) => setTimeout(r, 20)); // voluntary switches: sleeping in the event loop
      const { snapshot } = await c.cycle();
      errors += snapshot.read.errors.io ?? 0;
      const g = snapshot.groups.find((x) => x.name === 'self');
      if (g) switches = g.counters.voluntaryCtxSwitches;
      if (cycle === 2) during = c.processesOf('self').find((p) => p.identity.pid === SELF)?.sample.voluntaryCtxSwitches;
    }
    // The main thread holds most of node's switches: a rebound would add them a second time.
    expect(switches).toBeLessThanOrEqual(selfVoluntarySwitches());
    expect(switches).toBeGreaterThan(0);
    expect(errors).toBeGreaterThanOrEqual(2);
    expect(during).toBeNull();
  });
});

describe('identity reads count what they could not read (real /proc, injected EIO)', () => {
  it('counts unreadable optional files of a new process and still tracks it, with those fields empty', async () => {
    const fs = new FlakyProcFs();
    fs.failing = (p) => p === `${SELF}/limits` || p === `${SELF}/cgroup`;
    const { snapshot } = await collector(fs, () => false).cycle();
    expect(snapshot.read.errors.io).toBe(2);
    expect(snapshot.groups.find((g) => g.name === 'self')?.processes).toBe(1);
    expect(snapshot.groups.find((g) => g.name === 'self')?.gauges.fdLimitMin).toBeNull();
  });

  it('counts an optional file it cannot parse as a parse error and still tracks the process, with that field empty', async () => {
    const fs = new FlakyProcFs();
    fs.garbled = (p) =>
      p === `${SELF}/limits`
        ? 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            lots                 lots                 files\n'
        : undefined;
    const { snapshot } = await collector(fs, () => false).cycle();
    expect(snapshot.read.errors.parse).toBe(1);
    expect(snapshot.read.errors.io).toBeUndefined();
    const self = snapshot.groups.find((g) => g.name === 'self');
    expect(self?.processes).toBe(1);
    expect(self?.gauges.fdLimitMin).toBeNull();
    expect(self?.gauges.openFds).toBeGreaterThan(0);
  });

  it('drops a sample whose pid was reused before its identity was read, as vanished (reuse simulated: a pid cannot be reused on demand)', async () => {
    const inner = createLinuxReader({ fs: new ProcFs(), threadTaskCap: 256, logger: quiet, cgroupRoot: '/nonexistent', privileged: true });
    const reader: ProcReader = {
      ...inner,
      listPids: () => [SELF],
      // Another process now holds the pid: its start time differs from the sample's.
      readIdentity: (pid) => {
        const r = inner.readIdentity(pid);
        return { ...r, identity: { ...r.identity, startTicks: r.identity.startTicks + 1 } };
      },
    };
    const c = new Collector({
      reader,
      nameOf: () => 'self',
      grouper: { maxGroups: 10, declared: [], pidSeriesGroups: new Set(), pidSeriesMax: 0, emptyGroupTtlMs: 60_000, maxCgroupsPerGroup: 4 },
      batchSize: 64,
      maxCgroupPressure: 0,
      logger: quiet,
    });
    const { snapshot } = await c.cycle();
    expect(snapshot.read.errors.vanished).toBe(1);
    expect(snapshot.read.processesRead).toBe(0);
    expect(snapshot.groups.find((g) => g.name === 'self')).toBeUndefined();
  });
});

describe('a privileged exporter on a tree with files the kernel refuses', () => {
  function refusingCollector(logger: Logger, refused: string[]): Collector {
    const inner = createLinuxReader({ fs: new RefusingProcFs(new Set(refused)), threadTaskCap: 256, logger, cgroupRoot: '/nonexistent', privileged: true });
    // No `previous`: every cycle reads every file, as for a busy process.
    const reader: ProcReader = { ...inner, readSample: (pid) => inner.readSample(pid) };
    return new Collector({
      reader,
      nameOf: (id) => id.comm,
      grouper: { maxGroups: 200, declared: [], pidSeriesGroups: new Set(), pidSeriesMax: 0, emptyGroupTtlMs: 60_000, maxCgroupsPerGroup: 4 },
      batchSize: 64,
      maxCgroupPressure: 0,
      logger,
    });
  }
  it('counts each refusal per cycle as protected, never as permission, and warns once naming the process and file', async () => {
    const logger = recordingLogger();
    const c = refusingCollector(logger, ['1/io']);
    for (let i = 0; i < 3; i++) {
      const { snapshot } = await c.cycle();
      expect(snapshot.read.errors).toEqual({ protected: 1, vanished: 1 }); // 999 is the fixture that vanished
    }
    expect(logger.warnings).toEqual([
      { obj: { field: 'io', pid: 1, comm: 'systemd', file: join(FIXTURES_PROC, '1', 'io') }, msg: expect.stringContaining('reason="protected"') },
    ]);
  });

  it("counts a refused net/dev of a container's namespace by its reason, not always as permission", async () => {
    const logger = recordingLogger();
    const c = refusingCollector(logger, ['600/net/dev']);
    await c.cycle();
    const { snapshot } = await c.cycle();
    expect(snapshot.read.errors).toEqual({ protected: 1, vanished: 1 });
  });

  it('counts nothing but the vanished fixture process when nothing is refused', async () => {
    const { snapshot } = await refusingCollector(recordingLogger(), []).cycle();
    expect(snapshot.read.errors).toEqual({ vanished: 1 });
  });
});
