import type { Logger } from '../../exporter/src/log/logger';

interface LogRecord {
  obj: Record<string, unknown>;
  msg: string;
}

/** A logger that keeps what was logged at info and warn (debug and error are dropped). */
export function recordingLogger(): Logger & { infos: LogRecord[]; warnings: LogRecord[] } {
  const infos: LogRecord[] = [];
  const warnings: LogRecord[] = [];
  return {
    infos,
    warnings,
    debug() {},
    error() {},
    info: (obj, msg) => infos.push({ obj: obj as Record<string, unknown>, msg }),
    warn: (obj, msg) => warnings.push({ obj: obj as Record<string, unknown>, msg }),
  };
}
