import { ReadError } from '../../../../exporter/src/errors';
import { parseStat, PF_KTHREAD } from '../../../../exporter/src/read/parse/stat';
import { parseCtxSwitches, parseStatus } from '../../../../exporter/src/read/parse/status';
import { parseIo } from '../../../../exporter/src/read/parse/io';
import { parseSchedstat } from '../../../../exporter/src/read/parse/schedstat';
import { parseOpenFilesLimit } from '../../../../exporter/src/read/parse/limits';
import { parseCgroup } from '../../../../exporter/src/read/parse/cgroup';
import { parsePressure } from '../../../../exporter/src/read/parse/pressure';
import { parseLoadavg, parseMeminfo, parseNetDev, parsePasswd, parseProcStat } from '../../../../exporter/src/read/parse/host';

const STAT_TAIL =
  'S 1 1 0 0 -1 4194560 1500 0 7 0 250 130 0 0 20 0 4 0 98765 104857600 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 12 0 0 0 0 0 0 0 0 0 0';

describe('parseStat', () => {
  it('reads the fields procsight uses', () => {
    const s = parseStat(`4242 (postgres) ${STAT_TAIL}`);
    expect(s).toMatchObject({ pid: 4242, comm: 'postgres', state: 'sleeping', ppid: 1, minorFaults: 1500, majorFaults: 7, utimeTicks: 250, stimeTicks: 130, threads: 4, startTicks: 98765, blkioTicks: 12 });
  });

  it.each([
    ['tmux: server', 'tmux: server'],
    ['(sd-pam)', '(sd-pam)'],
    ['a) (b', 'a) (b'],
    ['x) S 1 1 (', 'x) S 1 1 ('],
    ['', ''],
  ])('takes comm %j up to the last parenthesis', (comm, expected) => {
    expect(parseStat(`7 (${comm}) ${STAT_TAIL}`).comm).toBe(expected);
  });

  it('recognises kernel threads, zombies and unknown states', () => {
    const k = parseStat(`2 (kthreadd) S 0 0 0 0 -1 ${PF_KTHREAD | 0x40} 0 0 0 0 0 3 0 0 20 0 1 0 2 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0`);
    expect(k.flags & PF_KTHREAD).toBeTruthy();
    expect(parseStat(`9 (dead) ${STAT_TAIL.replace(/^S/, 'Z')}`).state).toBe('zombie');
    expect(parseStat(`9 (x) ${STAT_TAIL.replace(/^S/, 'W')}`).state).toBe('other');
  });

  it('accepts an old kernel without delayacct field (blkio 0)', () => {
    const short = STAT_TAIL.split(' ').slice(0, 30).join(' ');
    expect(parseStat(`5 (old) ${short}`).blkioTicks).toBe(0);
  });

  it.each([['', 'empty'], ['123 no parens', 'no comm'], ['1 (a) S 1', 'truncated'], [`1 (a) ${STAT_TAIL.replace('250', '-5')}`, 'negative'], [`1 (a) ${STAT_TAIL.replace('250', '99999999999999999999')}`, 'huge']])(
    'throws a ReadError on %j (%s)',
    (text) => {
      expect(() => parseStat(text)).toThrow(ReadError);
    },
  );
});

describe('parseStatus', () => {
  const status = 'Name:\tjava\nState:\tS (sleeping)\nUid:\t1000\t1000\t1000\t1000\nVmSize:\t 8000000 kB\nVmRSS:\t  204800 kB\nVmSwap:\t     512 kB\nThreads:\t42\nvoluntary_ctxt_switches:\t17\nnonvoluntary_ctxt_switches:\t3\n';
  it('reads memory in bytes, switches and uid', () => {
    expect(parseStatus(status)).toEqual({ rssBytes: 204800 * 1024, vmsBytes: 8000000 * 1024, swapBytes: 512 * 1024, voluntaryCtxSwitches: 17, nonvoluntaryCtxSwitches: 3, uid: 1000 });
    expect(parseCtxSwitches(status)).toEqual({ voluntary: 17, nonvoluntary: 3 });
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

describe('small files', () => {
  it('parses io, schedstat, limits', () => {
    expect(parseIo('rchar: 9\nwchar: 9\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n')).toEqual({ readBytes: 4096, writeBytes: 8192 });
    expect(parseSchedstat('123456 7890 12\n')).toEqual({ runNs: 123456, waitNs: 7890, timeslices: 12 });
    expect(parseOpenFilesLimit('Limit  Soft Limit  Hard Limit  Units\nMax open files            1024                 4096                 files\n')).toBe(1024);
    expect(parseOpenFilesLimit('Max open files            unlimited            unlimited            files\n')).toBeNull();
    expect(() => parseIo('rchar: 1\n')).toThrow(ReadError);
    expect(() => parseSchedstat('1 2')).toThrow(ReadError);
    expect(() => parseOpenFilesLimit('Max processes 1 1\n')).toThrow(ReadError);
  });

  it('finds the cgroup path, container id and systemd unit', () => {
    const id = 'a'.repeat(64);
    expect(parseCgroup(`0::/system.slice/docker-${id}.scope\n`)).toEqual({ path: `/system.slice/docker-${id}.scope`, containerId: id, systemdUnit: '' });
    expect(parseCgroup(`0::/kubepods/burstable/pod1234/${id}\n`).containerId).toBe(id);
    expect(parseCgroup('0::/system.slice/nginx.service\n')).toEqual({ path: '/system.slice/nginx.service', containerId: '', systemdUnit: 'nginx.service' });
    expect(parseCgroup('12:cpu,cpuacct:/user.slice\n1:name=systemd:/user.slice/session-2.scope\n').systemdUnit).toBe('session-2.scope');
    expect(parseCgroup('garbage without colons')).toEqual({ path: '', containerId: '', systemdUnit: '' });
    // Hybrid hosts: the unified line is the root while the v1 lines place the container.
    expect(parseCgroup(`12:cpu,cpuacct:/docker/${id}\n1:name=systemd:/docker/${id}\n0::/\n`)).toEqual({ path: '/', containerId: id, systemdUnit: '' });
    expect(parseCgroup('4:cpu,cpuacct:/system.slice/cron.service\n1:name=systemd:/system.slice/cron.service\n0::/\n')).toEqual({ path: '/', containerId: '', systemdUnit: 'cron.service' });
  });

  it('parses PSI totals in seconds, with or without a full line', () => {
    expect(parsePressure('some avg10=0.00 avg60=0.00 avg300=0.00 total=2500000\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=1000000\n')).toEqual({ someSeconds: 2.5, fullSeconds: 1 });
    expect(parsePressure('some avg10=0.00 avg60=0.00 avg300=0.00 total=10\n').fullSeconds).toBeNull();
    expect(() => parsePressure('nothing')).toThrow(ReadError);
  });

  it('parses host files', () => {
    const st = parseProcStat('cpu  100 5 30 2000 40 0 10 2 0 0\ncpu0 1 1 1 1 1 1 1 1 0 0\ncpu1 1 1 1 1 1 1 1 1 0 0\nprocs_running 3\nprocs_blocked 1\n', { clockTicks: 100 });
    expect(st.cpuSecondsTotal.user).toBe(1);
    expect(st.cpuSecondsTotal.iowait).toBe(0.4);
    expect(st).toMatchObject({ procsRunning: 3, procsBlocked: 1, cpus: 2 });
    expect(parseMeminfo('MemTotal: 100 kB\nMemAvailable: 50 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n')).toEqual({ totalBytes: 102400, availableBytes: 51200, swapTotalBytes: 0, swapFreeBytes: 0 });
    expect(() => parseMeminfo('MemTotal: 100 kB\n')).toThrow(ReadError);
    expect(parseLoadavg('0.50 0.40 0.30 1/100 999\n')).toEqual({ load1: 0.5, load5: 0.4, load15: 0.3 });
    expect(() => parseLoadavg('x')).toThrow(ReadError);
    const dev = 'Inter-|   Receive |  Transmit\n face |bytes packets|bytes\n    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n  eth0: 5000 4 0 0 0 0 0 0 2500 3 0 0 0 0 0 0\n';
    expect(parseNetDev(dev)).toEqual({ rx: 5000, tx: 2500 });
    expect(parsePasswd('root:x:0:0:root:/root:/bin/bash\nbad line\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\n')).toEqual(new Map([[0, 'root'], [33, 'www-data']]));
  });
});

describe('garbage never escapes as anything but a ReadError', () => {
  // Seeded PRNG: the same cases every run.
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const samples: Array<[string, (t: string) => unknown, string]> = [
    ['stat', parseStat, `4242 (postgres) ${STAT_TAIL}`],
    ['status', parseStatus, 'Name:\tx\nUid:\t1\t1\t1\t1\nVmRSS:\t 10 kB\nvoluntary_ctxt_switches:\t1\nnonvoluntary_ctxt_switches:\t1\n'],
    ['io', parseIo, 'read_bytes: 1\nwrite_bytes: 2\n'],
    ['schedstat', parseSchedstat, '1 2 3\n'],
    ['pressure', parsePressure, 'some avg10=0.00 total=10\nfull avg10=0.00 total=5\n'],
    ['meminfo', parseMeminfo, 'MemTotal: 100 kB\nMemAvailable: 50 kB\n'],
    ['loadavg', parseLoadavg, '1 2 3 1/2 3\n'],
    ['netdev', parseNetDev, '  eth0: 5000 4 0 0 0 0 0 0 2500 3 0 0 0 0 0 0\n'],
    ['cgroup', parseCgroup, '0::/a/b.service\n'],
    ['limits', parseOpenFilesLimit, 'Max open files 1024 4096 files\n'],
  ];
  const mutate = (s: string): string => {
    const r = rand();
    if (r < 0.25) return s.slice(0, Math.floor(rand() * s.length));
    if (r < 0.5) return s.replace(/\d+/, '9'.repeat(1 + Math.floor(rand() * 40)));
    if (r < 0.75) return Array.from({ length: Math.floor(rand() * 200) }, () => String.fromCharCode(Math.floor(rand() * 256))).join('');
    const i = Math.floor(rand() * s.length);
    return s.slice(0, i) + String.fromCharCode(Math.floor(rand() * 128)) + s.slice(i + 1);
  };

  it.each(samples)('%s: 2000 mutated inputs', (_name, parse, good) => {
    let parsed = 0;
    for (let i = 0; i < 2000; i++) {
      const text = mutate(good);
      try {
        const v = parse(text);
        expect(v).toBeDefined();
        parsed++;
      } catch (e) {
        expect(e).toBeInstanceOf(ReadError);
      }
    }
    expect(parsed).toBeGreaterThan(0);
  });
});
