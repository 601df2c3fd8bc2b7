import os from 'node:os';
import { readHostInfo } from '../../../exporter/src/read/host-info';

describe('readHostInfo on Linux (os module and os-release)', () => {
  it("names the OS from os-release and the rest from Node's os module", async () => {
    const info = await readHostInfo({ platform: 'linux', osRelease: () => 'NAME="Debian GNU/Linux"\nVERSION_ID="12"\n' });
    expect(info).toEqual({
      cpuModel: os.cpus()[0]?.model.trim() || 'unknown',
      cores: os.cpus().length,
      memoryTotalBytes: os.totalmem(),
      os: 'Debian GNU/Linux 12',
      kernel: os.release(),
      hostname: os.hostname(),
    });
  });

  it('falls back to the kernel type without os-release', async () => {
    expect((await readHostInfo({ platform: 'linux', osRelease: () => null })).os).toBe(os.type());
    expect((await readHostInfo({ platform: 'linux', osRelease: () => 'NAME=Alpine\n' })).os).toBe('Alpine');
  });

  it('reads this machine', async () => {
    const info = await readHostInfo();
    expect(info.cores).toBeGreaterThan(0);
    expect(info.memoryTotalBytes).toBeGreaterThan(0);
    expect(info.os.length).toBeGreaterThan(0);
  });
});
