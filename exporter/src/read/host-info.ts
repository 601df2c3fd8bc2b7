import os from 'node:os';
import { readFileSync } from 'node:fs';
import type { HostInfo } from './types';
import { parseOsRelease } from './parse/os-release';
import { errnoCode } from '../util/error-message';

/**
 * Host facts for procsight_host_info, once at start. On Linux from Node's os
 * module and os-release (the distribution's NAME and VERSION_ID); elsewhere
 * from systeminformation, loaded only then (it holds several MB).
 */
export async function readHostInfo(opts: { platform?: NodeJS.Platform; osRelease?: () => string | null } = {}): Promise<HostInfo> {
  const platform = opts.platform ?? process.platform;
  if (platform !== 'linux') return readWithSysteminformation();
  const release = parseOsRelease((opts.osRelease ?? readOsRelease)() ?? '');
  return {
    cpuModel: os.cpus()[0]?.model.trim() || 'unknown',
    cores: os.cpus().length,
    memoryTotalBytes: os.totalmem(),
    os: [release.name, release.versionId].filter(Boolean).join(' ') || os.type(),
    kernel: os.release(),
    hostname: os.hostname(),
  };
}

/** /etc/os-release, or /usr/lib/os-release where /etc has none (os-release(5)); null when neither can be read. */
function readOsRelease(): string | null {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      if (errnoCode(e) === undefined) throw e; // not a failed read: a bug
    }
  }
  return null;
}

async function readWithSysteminformation(): Promise<HostInfo> {
  const si = await import('systeminformation');
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
