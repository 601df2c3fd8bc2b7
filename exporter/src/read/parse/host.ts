import { ReadError } from '../../errors';
import type { HostSnapshot } from '../types';
import { kbValue, keyValueLines, uint } from './fields';

/** Parses /proc/stat: aggregate CPU seconds by mode, procs_running, procs_blocked. */
export function parseProcStat(
  text: string,
  opts: { clockTicks: number },
): {
  cpuSecondsTotal: HostSnapshot['cpuSecondsTotal'];
  procsRunning: number;
  procsBlocked: number;
  cpus: number;
  busyByCpu: number[];
} {
  const cpu = /^cpu\s+(.*)$/m.exec(text);
  if (!cpu) throw new ReadError('parse', '/proc/stat: no cpu line');
  const f = cpu[1].trim().split(/\s+/);
  if (f.length < 8) throw new ReadError('parse', '/proc/stat: short cpu line');
  const s = (i: number, name: string): number => uint(f[i], '/proc/stat', name) / opts.clockTicks;
  const running = /^procs_running (\d+)$/m.exec(text);
  const blocked = /^procs_blocked (\d+)$/m.exec(text);
  return {
    cpuSecondsTotal: {
      user: s(0, 'user'),
      nice: s(1, 'nice'),
      system: s(2, 'system'),
      idle: s(3, 'idle'),
      iowait: s(4, 'iowait'),
      irq: s(5, 'irq'),
      softirq: s(6, 'softirq'),
      steal: s(7, 'steal'),
    },
    procsRunning: running ? uint(running[1], '/proc/stat', 'procs_running') : 0,
    procsBlocked: blocked ? uint(blocked[1], '/proc/stat', 'procs_blocked') : 0,
    cpus: (text.match(/^cpu\d+\s/gm) ?? []).length,
    busyByCpu: parseBusyByCpu(text, opts.clockTicks),
  };
}

/**
 * Busy seconds of each CPU (`cpuN` lines: every mode but idle and iowait, so
 * steal, the hypervisor's share, counts as busy), indexed by CPU number; an
 * offline CPU without a line is 0.
 */
function parseBusyByCpu(text: string, clockTicks: number): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/^cpu(\d+)\s+(.*)$/gm)) {
    const f = m[2].trim().split(/\s+/);
    if (f.length < 8) throw new ReadError('parse', `/proc/stat: short cpu${m[1]} line`);
    const n = (i: number): number => uint(f[i], '/proc/stat', `cpu${m[1]}`);
    const cpu = uint(m[1], '/proc/stat', 'cpu number');
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const busy = n(0) + n(1) + n(2) + n(5) + n(6) + n(7);
    while (out.length < cpu) out.push(0);
    out[cpu] = busy / clockTicks;
  }
  return out;
}

/** Parses /proc/meminfo into bytes. */
export function parseMeminfo(text: string): { totalBytes: number; availableBytes: number; swapTotalBytes: number; swapFreeBytes: number } {
  const kv = keyValueLines(text);
  const need = (k: string): number => {
    const v = kbValue(kv.get(k), 'meminfo', k);
    if (v === null) throw new ReadError('parse', `meminfo: no ${k}`);
    return v;
  };
  return {
    totalBytes: need('MemTotal'),
    availableBytes: need('MemAvailable'),
    swapTotalBytes: kbValue(kv.get('SwapTotal'), 'meminfo', 'SwapTotal') ?? 0,
    swapFreeBytes: kbValue(kv.get('SwapFree'), 'meminfo', 'SwapFree') ?? 0,
  };
}

/** Parses /proc/loadavg. */
export function parseLoadavg(text: string): { load1: number; load5: number; load15: number } {
  const f = text.trim().split(/\s+/);
  const n = (i: number): number => {
    const v = Number(f[i]);
    if (f[i] === undefined || !Number.isFinite(v) || v < 0) throw new ReadError('parse', `loadavg: field ${i + 1} is not a number`);
    return v;
  };
  return { load1: n(0), load5: n(1), load15: n(2) };
}

/** Parses /proc/<pid>/net/dev: bytes summed over interfaces except loopback. */
export function parseNetDev(text: string): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  let seen = 0;
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i < 0 || line.startsWith('Inter') || line.includes('|')) continue;
    const name = line.slice(0, i).trim();
    const f = line
      .slice(i + 1)
      .trim()
      .split(/\s+/);
    if (f.length < 9) throw new ReadError('parse', `net/dev: short line for ${name}`);
    seen++;
    if (name === 'lo') continue;
    rx += uint(f[0], 'net/dev', 'rx_bytes');
    tx += uint(f[8], 'net/dev', 'tx_bytes');
  }
  if (seen === 0) throw new ReadError('parse', 'net/dev: no interfaces');
  return { rx, tx };
}

/** Parses /etc/passwd into uid → name. Malformed lines are skipped. */
export function parsePasswd(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && /^\d+$/.test(f[2]) && f[0]) out.set(Number(f[2]), f[0]);
  }
  return out;
}

/** Boot time (Unix seconds) from the `btime` line of /proc/stat. */
export function parseBootTime(text: string): number {
  const m = /^btime\s+(\d+)$/m.exec(text);
  if (!m) throw new ReadError('parse', 'stat: no btime line');
  return Number(m[1]);
}
