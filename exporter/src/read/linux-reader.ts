import { readFileSync, readlinkSync } from 'node:fs';
import { ReadError } from '../errors';
import type { Logger } from '../log/logger';
import { heldFileBudget, readSmallFile, type ProcFs } from './procfs';
import { readHost } from './host';
import { memoryLayout } from './cgroup-memory';
import { parseBootTime, parseNetDev, parsePasswd } from './parse/host';
import type { DetailOptions } from './detail';
import { canInspectAllProcesses } from './parse/status';
import { classify, listPids, readProcessIdentity, readProcessSample } from './process';
import type { ProcReader } from './reader';
import { errorMessage } from '../util/error-message';

/** The Linux fast path: reads /proc directly under `fs.root`. */
export function createLinuxReader(opts: {
  fs: ProcFs;
  threadTaskCap: number;
  logger: Logger;
  /** Where cgroup v2 is mounted (for per-cgroup PSI). */
  cgroupRoot?: string;
  /** passwd file for uid → user names. */
  passwdPath?: string;
  /**
   * Whether the exporter can inspect every process (a refused file then
   * counts as `protected`, not `permission`). Default: from its own CapEff.
   */
  privileged?: boolean;
  /** process-exporter's extra reads (smaps_rollup, each thread), only while its series are exported. */
  detail?: DetailOptions;
}): ProcReader {
  const { fs } = opts;
  const privileged = opts.privileged ?? exporterIsPrivileged(opts.logger);
  let bootTimeSeconds: number | undefined;
  try {
    bootTimeSeconds = parseBootTime(fs.read('stat'));
  } catch (e) {
    opts.logger.warn({ err: errorMessage(e) }, 'cannot read the boot time from stat: process start times unknown');
  }
  let usernames = new Map<number, string>();
  try {
    usernames = parsePasswd(readFileSync(opts.passwdPath ?? '/etc/passwd', 'utf8'));
  } catch (e) {
    opts.logger.warn({ err: errorMessage(e) }, 'cannot read passwd: user names show as uids');
  }
  fs.holdUpTo(ownHeldFileBudget(opts.logger));
  const cgroupRoot = opts.cgroupRoot ?? '/sys/fs/cgroup';
  const layout = memoryLayout(cgroupRoot);
  // One options object for every process read, its two per-process fields set before each (synchronous) call:
  // an object per process per cycle was among the collector's largest allocations.
  const sampleOptions: Parameters<typeof readProcessSample>[2] = { threadTaskCap: opts.threadTaskCap, privileged, detail: opts.detail };
  return {
    listPids: () => {
      const pids = listPids(fs);
      fs.releaseHeld(pids);
      return pids;
    },
    readSample: (pid, previous, read) => {
      sampleOptions.previous = previous;
      sampleOptions.refresh = read?.refresh;
      return readProcessSample(fs, pid, sampleOptions);
    },
    close: () => fs.close(),
    readIdentity: (pid) => readProcessIdentity(fs, pid, { usernames, privileged, bootTimeSeconds }),
    readHost: (input) => readHost(fs, { ...input, cgroupRoot, memoryLayout: layout }),
    readNetDev: (pid) => {
      let text: string;
      try {
        text = fs.read(pid, 'net', 'dev');
      } catch (e) {
        throw new ReadError(classify(e, { privileged }), `net/dev of ${pid}`, { cause: e }); // counted by the collector
      }
      return parseNetDev(text);
    },
    hostNetNs: () => {
      // pid 1's namespace is the host's; where the kernel refuses it (a protected init),
      // kthreadd (pid 2) always lives in the initial namespaces too.
      for (const pid of [1, 2]) {
        try {
          const m = /^net:\[(\d+)\]$/.exec(readlinkSync(fs.path(pid, 'ns', 'net')));
          if (m) return Number(m[1]);
        } catch (e) {
          opts.logger.debug({ pid, err: errorMessage(e) }, 'cannot read the network namespace');
        }
      }
      return 0; // unknown host namespace: no container attribution (docs/network.md)
    },
  };
}

/** Descriptors the collector may keep open, from the exporter's own (real) /proc/self/limits. */
function ownHeldFileBudget(logger: Logger): number {
  try {
    return heldFileBudget(readFileSync('/proc/self/limits', 'latin1'));
  } catch (e) {
    logger.warn({ err: errorMessage(e) }, 'cannot read /proc/self/limits: every file is opened at each read');
    return 0;
  }
}

/**
 * The exporter's own privileges, from the real /proc/self/status: its
 * credentials, not part of the tree under --path.procfs being inspected.
 */
function exporterIsPrivileged(logger: Logger): boolean {
  let privileged = false;
  try {
    privileged = canInspectAllProcesses(readSmallFile('/proc/self/status'));
  } catch (e) {
    logger.debug({ err: errorMessage(e) }, 'cannot read own capabilities: refused files count as reason="permission"');
  }
  logger.debug({ privileged }, 'exporter privileges');
  return privileged;
}
