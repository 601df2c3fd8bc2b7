import { ReadError } from '../../../../exporter/src/errors';
import { canInspectAllProcesses, parseCtxSwitches, parseEffectiveCaps, parseStatus } from '../../../../exporter/src/read/parse/status';
import { expectOnlyReadErrors } from '../../../helpers/fuzz';

describe('parseStatus', () => {
  const status =
    'Name:\tjava\nState:\tS (sleeping)\nUid:\t1000\t1000\t1000\t1000\nVmSize:\t 8000000 kB\nVmRSS:\t  204800 kB\nVmSwap:\t     512 kB\nThreads:\t42\nvoluntary_ctxt_switches:\t17\nnonvoluntary_ctxt_switches:\t3\n';
  it('reads memory in bytes, switches and uid', () => {
    expect(parseStatus(status)).toEqual({
      rssBytes: 204800 * 1024,
      vmsBytes: 8000000 * 1024,
      swapBytes: 512 * 1024,
      voluntaryCtxSwitches: 17,
      nonvoluntaryCtxSwitches: 3,
      uid: 1000,
      cpusAllowed: null,
    });
    expect(parseCtxSwitches(status)).toEqual({ voluntary: 17, nonvoluntary: 3 });
  });
  it('reads the CPU affinity (Cpus_allowed_list), one shared array per distinct list', () => {
    const pinned = parseStatus(`${status}Cpus_allowed:\t1\nCpus_allowed_list:\t0\n`);
    expect(pinned.cpusAllowed).toEqual([0]);
    const wide = parseStatus(`${status}Cpus_allowed_list:\t0-3,8\n`);
    expect(wide.cpusAllowed).toEqual([0, 1, 2, 3, 8]);
    expect(parseStatus(`${status}Cpus_allowed_list:\t0-3,8\n`).cpusAllowed).toBe(wide.cpusAllowed);
    expect(() => parseStatus(`${status}Cpus_allowed_list:\t3-1\n`)).toThrow(ReadError);
  });
  it('gives null memory for kernel threads (no Vm lines)', () => {
    const k = parseStatus('Name:\tkthreadd\nUid:\t0\t0\t0\t0\nvoluntary_ctxt_switches:\t1\nnonvoluntary_ctxt_switches:\t0\n');
    expect(k.rssBytes).toBeNull();
    expect(k.vmsBytes).toBeNull();
  });
  it('throws a ReadError on garbage', () => {
    expect(() => parseStatus('garbage')).toThrow(ReadError);
    expect(() => parseStatus('Uid:\tx\n')).toThrow(ReadError);
    expect(() => parseStatus('Uid:\t0\nVmRSS:\tlots kB\n')).toThrow(ReadError);
  });
});

describe("the exporter's own privileges (status CapEff)", () => {
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

describe('garbage never escapes as anything but a ReadError', () => {
  it('status: 2000 mutated inputs', () => {
    expectOnlyReadErrors(parseStatus, 'Name:\tx\nUid:\t1\t1\t1\t1\nVmRSS:\t 10 kB\nvoluntary_ctxt_switches:\t1\nnonvoluntary_ctxt_switches:\t1\n', {
      seed: 1185866784,
    });
  });
});
