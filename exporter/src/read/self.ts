import { ReadError } from '../errors';
import { ProcFs } from './procfs';
import { parseOpenFilesLimit } from './parse/limits';
import { parseStatus } from './parse/status';
import { errnoCode } from '../util/error-message';

/** The exporter's own process, for the conventional `process_*` self-metrics. */
export interface SelfProcess {
  /** User + system CPU seconds of all threads. */
  cpuSeconds: number;
  residentBytes: number;
  /** null where there is no /proc (the non-Linux fallback). */
  virtualBytes: number | null;
  openFds: number | null;
  /** Soft open-files limit; null when unlimited or unknown. */
  maxFds: number | null;
  /** Unix seconds. */
  startTimeSeconds: number;
}

/** Unix time the process started, fixed once (Node's own clock, as prom-client and client_golang do it). */
const START_TIME_SECONDS = Date.now() / 1000 - process.uptime();

/**
 * Reads the exporter's own figures: CPU and RSS from Node, the rest from
 * /proc/self (always the real /proc: `--path.procfs` is where the watched
 * processes are, and with hostPID /proc/self is still the exporter).
 * A /proc file that cannot be read leaves its field null: a missing fact, not
 * a failure of the exporter.
 */
export function readSelfProcess(fs: ProcFs = new ProcFs('/proc')): SelfProcess {
  const cpu = process.cpuUsage();
  const optional = <T>(read: () => T): T | null => {
    try {
      return read();
    } catch (e) {
      // No /proc/self (non-Linux), a refused or odd file: that series is left out. Anything else is a bug.
      if (e instanceof ReadError || errnoCode(e) !== undefined) return null;
      throw e;
    }
  };
  return {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    residentBytes: process.memoryUsage.rss(),
    virtualBytes: optional(() => parseStatus(fs.read('self', 'status')).vmsBytes),
    openFds: optional(() => fs.countFds('self')),
    maxFds: optional(() => parseOpenFilesLimit(fs.read('self', 'limits'))),
    startTimeSeconds: START_TIME_SECONDS,
  };
}
