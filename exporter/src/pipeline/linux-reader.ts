import { readFileSync, readlinkSync } from 'node:fs';
import type { Logger } from '../log/logger';
import type { ProcFs } from '../read/procfs';
import { readHost } from '../read/host';
import { parseNetDev, parsePasswd } from '../read/parse/host';
import { listPids, readProcessIdentity, readProcessSample } from '../read/process';
import type { ProcReader } from './collector';

/** The Linux fast path: reads /proc directly under `fs.root`. */
export function createLinuxReader(opts: {
  fs: ProcFs;
  threadTaskCap: number;
  logger: Logger;
  /** Where cgroup v2 is mounted (for per-cgroup PSI). */
  cgroupRoot?: string;
  /** passwd file for uid → user names. */
  passwdPath?: string;
}): ProcReader {
  const { fs } = opts;
  let usernames = new Map<number, string>();
  try {
    usernames = parsePasswd(readFileSync(opts.passwdPath ?? '/etc/passwd', 'utf8'));
  } catch (e) {
    opts.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'cannot read passwd: user names show as uids');
  }
  return {
    listPids: () => listPids(fs),
    readSample: (pid, previous) => readProcessSample(fs, pid, { threadTaskCap: opts.threadTaskCap, previous }),
    readIdentity: (pid) => readProcessIdentity(fs, pid, { usernames }),
    readHost: (input) => readHost(fs, { ...input, cgroupRoot: opts.cgroupRoot ?? '/sys/fs/cgroup' }),
    readNetDev: (pid) => {
      try {
        return parseNetDev(fs.read(pid, 'net', 'dev'));
      } catch {
        return null; // counted by the collector as a permission/partial read
      }
    },
    hostNetNs: () => {
      try {
        const m = /^net:\[(\d+)\]$/.exec(readlinkSync(fs.path(1, 'ns', 'net')));
        return m ? Number(m[1]) : 0;
      } catch {
        return 0; // unknown host namespace: no container attribution (docs/network.md)
      }
    },
  };
}
