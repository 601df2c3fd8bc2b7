import os from 'node:os';
import si from 'systeminformation';
import type { HostInfo } from './types';

/** Host facts for procsight_host_info, once at start (systeminformation; Node's os module as fallback). */
export async function readHostInfo(): Promise<HostInfo> {
  const [cpu, mem, osInfo] = await Promise.all([si.cpu(), si.mem(), si.osInfo()]);
  return {
    cpuModel: `${cpu.manufacturer} ${cpu.brand}`.trim() || os.cpus()[0]?.model || 'unknown',
    cores: cpu.cores || os.cpus().length,
    memoryTotalBytes: mem.total || os.totalmem(),
    os: `${osInfo.distro} ${osInfo.release}`.trim() || os.type(),
    kernel: osInfo.kernel || os.release(),
    hostname: osInfo.hostname || os.hostname(),
  };
}
