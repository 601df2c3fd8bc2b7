import { join } from 'node:path';
import { ReadError } from '../../exporter/src/errors';
import type { Logger } from '../../exporter/src/log/logger';
import { Collector } from '../../exporter/src/pipeline/collector';
import type { ProcReader } from '../../exporter/src/read/reader';
import { createLinuxReader } from '../../exporter/src/read/linux-reader';
import { canInspectAllProcesses, parseEffectiveCaps } from '../../exporter/src/read/parse/status';
import { classify, readProcessSample } from '../../exporter/src/read/process';
import { ProcFs } from '../../exporter/src/read/procfs';

const FIXTURES = join(__dirname, '..', 'fixtures', 'proc');

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: refused`), { code });
}

/**
 * The fixtures tree, with some files refused as the kernel refuses them even
 * to root (EACCES from the ptrace access check; on this machine /proc/1/io of
 * the VM's init agent). A chmod cannot do that to a root test run.
 */
class RefusingProcFs extends ProcFs {
  constructor(private readonly refused: ReadonlySet<string>) {
    super(FIXTURES);
  }

  override read(...parts: Array<string | number>): string {
    if (this.refused.has(parts.join('/'))) throw errno('EACCES');
    return super.read(...parts);
  }
}

function recordingLogger(): Logger & { warnings: Array<{ obj: Record<string, unknown>; msg: string }> } {
  const warnings: Array<{ obj: Record<string, unknown>; msg: string }> = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (obj, msg) => warnings.push({ obj: obj as Record<string, unknown>, msg }) };
}

describe('classify', () => {
  it.each([
    ['ENOENT', false, 'vanished'],
    ['ESRCH', true, 'vanished'],
    ['EACCES', false, 'permission'],
    ['EPERM', false, 'permission'],
    ['EACCES', true, 'protected'],
    ['EPERM', true, 'protected'],
    ['EISDIR', true, 'io'],
    ['EIO', false, 'io'],
  ])('maps %s (privileged reader: %s) to %s', (code, privileged, reason) => {
    expect(classify(errno(code), { privileged })).toBe(reason);
  });

  it('counts a refusal as permission when the reader\'s privileges are not given', () => {
    expect(classify(errno('EACCES'))).toBe('permission');
  });

  it('keeps the reason of a ReadError', () => {
    expect(classify(new ReadError('parse', 'x'), { privileged: true })).toBe('parse');
  });
});

describe('the exporter\'s own privileges (status CapEff)', () => {
  const status = (capEff: string): string => `Name:\tnode\nUid:\t0\t0\t0\t0\nCapInh:\t0000000000000000\nCapEff:\t${capEff}\nCapBnd:\t000001ffffffffff\n`;

  it('reads the effective set as a bit mask', () => {
    expect(parseEffectiveCaps(status('000001fffeffffff'))).toBe(0x1fffeffffffn);
    expect(parseEffectiveCaps('Name:\tnode\n')).toBeNull();
  });

  it.each([
    ['root with every capability', '000001ffffffffff', true],
    ['root in this sandbox (no CAP_SYS_RESOURCE)', '000001fffeffffff', true],
    ['CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH only', '0000000000080004', true],
    ['root in a default Docker container (no CAP_SYS_PTRACE)', '00000000a80425fb', false],
    ['CAP_SYS_PTRACE without CAP_DAC_READ_SEARCH', '0000000000080000', false],
    ['nobody', '0000000000000000', false],
  ])('%s: %s → %s', (_who, capEff, expected) => {
    expect(canInspectAllProcesses(status(capEff))).toBe(expected);
  });

  it('is not privileged when CapEff is missing', () => {
    expect(canInspectAllProcesses('Name:\tnode\nUid:\t0\t0\t0\t0\n')).toBe(false);
  });
});

describe('readProcessSample with a refused file', () => {
  const fs = new RefusingProcFs(new Set(['1/io']));

  it('counts it as protected for a privileged exporter, names the file, and keeps the other fields', () => {
    const r = readProcessSample(fs, 1, { threadTaskCap: 256, privileged: true });
    expect(r.errors).toEqual({ protected: 1 });
    expect(r.missing).toEqual([{ pid: 1, field: 'io', file: join(FIXTURES, '1', 'io'), reason: 'protected' }]);
    expect(r.sample.readBytes).toBeNull();
    expect(r.sample.writeBytes).toBeNull();
    expect(r.sample.rssBytes).not.toBeNull();
    expect(r.sample.openFds).toBeGreaterThan(0);
  });

  it('counts it as permission for an unprivileged exporter', () => {
    const r = readProcessSample(fs, 1, { threadTaskCap: 256 });
    expect(r.errors).toEqual({ permission: 1 });
    expect(r.missing.map((m) => m.reason)).toEqual(['permission']);
  });

  it('counts nothing when nothing is refused', () => {
    const r = readProcessSample(new ProcFs(FIXTURES), 1, { threadTaskCap: 256, privileged: true });
    expect(r.errors).toEqual({});
    expect(r.missing).toEqual([]);
  });
});

describe('a privileged exporter on a tree with files the kernel refuses', () => {
  function collector(logger: Logger, refused: string[]): Collector {
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
    const c = collector(logger, ['1/io']);
    for (let i = 0; i < 3; i++) {
      const { snapshot } = await c.cycle();
      expect(snapshot.read.errors).toEqual({ protected: 1, vanished: 1 }); // 999 is the fixture that vanished
    }
    expect(logger.warnings).toEqual([
      { obj: { field: 'io', pid: 1, comm: 'systemd', file: join(FIXTURES, '1', 'io') }, msg: expect.stringContaining('reason="protected"') },
    ]);
  });

  it('counts a refused net/dev of a container\'s namespace by its reason, not always as permission', async () => {
    const logger = recordingLogger();
    const c = collector(logger, ['600/net/dev']);
    await c.cycle();
    const { snapshot } = await c.cycle();
    expect(snapshot.read.errors).toEqual({ protected: 1, vanished: 1 });
  });

  it('counts nothing but the vanished fixture process when nothing is refused', async () => {
    const { snapshot } = await collector(recordingLogger(), []).cycle();
    expect(snapshot.read.errors).toEqual({ vanished: 1 });
  });
});
