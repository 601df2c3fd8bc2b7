import type { Logger } from '../log/logger';
import { createSysteminformationReader, FALLBACK_MISSING_FIELDS } from './fallback/systeminformation-reader';
import { createLinuxReader } from './linux-reader';
import { ProcFs } from './procfs';
import type { ProcReader } from './reader';
import type { DetailOptions } from './detail';

export interface ReaderOptions {
  /** --path.procfs */
  procfsPath: string;
  /** --path.cgroupfs */
  cgroupfsPath: string;
  /** limits.thread_task_cap */
  threadTaskCap: number;
  logger: Logger;
  platform?: NodeJS.Platform;
  /** process-exporter's extra reads (Linux only). */
  detail?: DetailOptions;
}

/** The /proc reader on Linux; elsewhere the systeminformation fallback, with a warning naming what it lacks. */
export function createReader(opts: ReaderOptions): ProcReader {
  const platform = opts.platform ?? process.platform;
  if (platform === 'linux') {
    return createLinuxReader({
      fs: new ProcFs(opts.procfsPath),
      threadTaskCap: opts.threadTaskCap,
      logger: opts.logger,
      cgroupRoot: opts.cgroupfsPath,
      detail: opts.detail,
    });
  }
  opts.logger.warn(
    { platform, missing: FALLBACK_MISSING_FIELDS.join(',') },
    'not Linux: using the systeminformation fallback; these fields are not available (docs/platforms.md)',
  );
  return createSysteminformationReader();
}
