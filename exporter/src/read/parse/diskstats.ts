import { ReadError } from '../../errors';
import { uint } from './fields';

/** One block device's cumulative counters from /proc/diskstats. */
export interface DiskCounters {
  name: string;
  /** Bytes read and written (sectors of 512 bytes, whatever the device's own sector size). */
  readBytes: number;
  writeBytes: number;
  /** Seconds the device had I/O in flight (io_ticks): busy time. */
  busySeconds: number;
}

/** Devices that are not disks of their own: loop files, RAM disks, zram (compressed RAM). */
const VIRTUAL = /^(loop|ram|zram)\d+$/;
/** Stacked devices (device mapper, md RAID): their bytes are also the bytes of the disks beneath them. */
const STACKED = /^(dm-|md)\d+$/;

/**
 * Parses /proc/diskstats into whole disks: partitions (sda1 of sda,
 * nvme0n1p1 of nvme0n1), stacked devices (dm-*, md*) and virtual ones (loop,
 * ram, zram) are left out, so each byte of the host's storage traffic counts
 * once, at the disk that carries it.
 */
export function parseDiskstats(text: string): DiskCounters[] {
  const rows: DiskCounters[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || f[0] === '') continue;
    if (f.length < 14) throw new ReadError('parse', `diskstats: short line for ${f[2] ?? '?'}`);
    const name = f[2];
    const n = (i: number, field: string): number => uint(f[i], 'diskstats', `${name} ${field}`);
    rows.push({ name, readBytes: n(5, 'sectors read') * 512, writeBytes: n(9, 'sectors written') * 512, busySeconds: n(12, 'io_ticks') / 1000 });
  }
  const names = new Set(rows.map((r) => r.name));
  // sda1 is a partition of sda, nvme0n1p1 and mmcblk0p1 of nvme0n1 and mmcblk0.
  const isPartition = (name: string): boolean => {
    const base = name.replace(/\d+$/, '');
    return base !== name && (names.has(base) || (base.endsWith('p') && names.has(base.slice(0, -1))));
  };
  return rows.filter((r) => !VIRTUAL.test(r.name) && !STACKED.test(r.name) && !isPartition(r.name));
}
