import { ReadError } from '../../../../exporter/src/errors';
import { parseBootTime, parseLoadavg, parseMeminfo, parseNetDev, parsePasswd, parseProcStat } from '../../../../exporter/src/read/parse/host';
import { readFileSync } from 'node:fs';
import { expectOnlyReadErrors } from '../../../helpers/fuzz';

describe('host files', () => {
  it('parses host files', () => {
    const st = parseProcStat('cpu  100 5 30 2000 40 0 10 2 0 0\ncpu0 1 1 1 1 1 1 1 1 0 0\ncpu1 1 1 1 1 1 1 1 1 0 0\nprocs_running 3\nprocs_blocked 1\n', {
      clockTicks: 100,
    });
    expect(st.cpuSecondsTotal.user).toBe(1);
    expect(st.cpuSecondsTotal.iowait).toBe(0.4);
    expect(st).toMatchObject({ procsRunning: 3, procsBlocked: 1, cpus: 2 });
    // busy = user + nice + system + irq + softirq + steal (not idle, not iowait)
    expect(st.busyByCpu).toEqual([0.06, 0.06]);
    const offline = parseProcStat('cpu  1 0 0 1 0 0 0 0\ncpu0 100 0 0 5 0 0 0 0\ncpu2 0 0 50 5 9 0 0 50\n', { clockTicks: 100 });
    expect(offline.busyByCpu).toEqual([1, 0, 1]);
    expect(parseMeminfo('MemTotal: 100 kB\nMemAvailable: 50 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n')).toEqual({
      totalBytes: 102400,
      availableBytes: 51200,
      swapTotalBytes: 0,
      swapFreeBytes: 0,
    });
    expect(() => parseMeminfo('MemTotal: 100 kB\n')).toThrow(ReadError);
    expect(parseLoadavg('0.50 0.40 0.30 1/100 999\n')).toEqual({ load1: 0.5, load5: 0.4, load15: 0.3 });
    expect(() => parseLoadavg('x')).toThrow(ReadError);
    const dev =
      'Inter-|   Receive |  Transmit\n face |bytes packets|bytes\n    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n  eth0: 5000 4 0 0 0 0 0 0 2500 3 0 0 0 0 0 0\n';
    expect(parseNetDev(dev)).toEqual({ rx: 5000, tx: 2500 });
    expect(parsePasswd('root:x:0:0:root:/root:/bin/bash\nbad line\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n')).toEqual(
      new Map([
        [0, 'root'],
        [33, 'www-data'],
      ]),
    );
  });
});

describe('garbage never escapes as anything but a ReadError', () => {
  it.each([
    ['meminfo', parseMeminfo, 'MemTotal: 100 kB\nMemAvailable: 50 kB\n', 1537308672],
    ['loadavg', parseLoadavg, '1 2 3 1/2 3\n', 1842088960],
    ['netdev', parseNetDev, '  eth0: 5000 4 0 0 0 0 0 0 2500 3 0 0 0 0 0 0\n', 788065792],
  ] as Array<[string, (t: string) => unknown, string, number]>)('%s: 2000 mutated inputs', (_name, parse, good, seed) => {
    expectOnlyReadErrors(parse, good, { seed });
  });
});

describe('boot time', () => {
  it('is the btime line of /proc/stat, here and on the fixtures', () => {
    expect(parseBootTime('cpu  1 2 3 4\nbtime 1700000000\nprocesses 5\n')).toBe(1700000000);
    const here = parseBootTime(readFileSync('/proc/stat', 'utf8'));
    expect(here).toBeLessThan(Date.now() / 1000);
    expect(here).toBeGreaterThan(Date.now() / 1000 - 365 * 86400);
    expect(() => parseBootTime('cpu 1 2 3\n')).toThrow(ReadError);
  });
});
