import { ReadError } from '../../../../exporter/src/errors';
import { parseDiskstats } from '../../../../exporter/src/read/parse/diskstats';
import { expectOnlyReadErrors } from '../../../helpers/fuzz';

/** This project's test VM's /proc/diskstats (loop devices, zram, one virtio disk), plus partitions and stacked devices. */
const TEXT = [
  '   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0',
  ' 254       0 vda 239293 31713 6337594 117397 445364 693759 52490624 293472 0 142428 525969 197012 386 798932744 63793 104600 51306',
  ' 253       0 zram0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0',
  '   8       0 sda 100 0 2000 10 50 0 4000 5 0 1500 15',
  '   8       1 sda1 100 0 2000 10 50 0 4000 5 0 1500 15',
  ' 259       0 nvme0n1 10 0 80 1 20 0 160 2 0 250 3',
  ' 259       1 nvme0n1p1 10 0 80 1 20 0 160 2 0 250 3',
  ' 253       1 dm-0 100 0 2000 10 50 0 4000 5 0 1500 15',
  '',
].join('\n');

describe('parseDiskstats', () => {
  it('keeps whole disks: bytes from 512-byte sectors, busy seconds from io_ticks', () => {
    expect(parseDiskstats(TEXT)).toEqual([
      { name: 'vda', readBytes: 6337594 * 512, writeBytes: 52490624 * 512, busySeconds: 142.428 },
      { name: 'sda', readBytes: 2000 * 512, writeBytes: 4000 * 512, busySeconds: 1.5 },
      { name: 'nvme0n1', readBytes: 80 * 512, writeBytes: 160 * 512, busySeconds: 0.25 },
    ]);
  });

  it('throws a ReadError on a short or non-numeric line', () => {
    expect(() => parseDiskstats(' 8 0 sda 1 2 3\n')).toThrow(ReadError);
    expect(() => parseDiskstats(' 8 0 sda 1 2 x 4 5 6 7 8 9 10 11\n')).toThrow(ReadError);
  });
});

describe('garbage never escapes as anything but a ReadError', () => {
  it('diskstats: 2000 mutated inputs', () => {
    expectOnlyReadErrors(parseDiskstats, TEXT, { seed: 5113 });
  });
});
