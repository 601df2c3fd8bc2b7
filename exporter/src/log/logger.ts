import pino from 'pino';
import { Writable } from 'node:stream';

/** The logger every layer receives (a subset of pino's, so tests can pass a recorder). */
export interface Logger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'logfmt' | 'json';

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** Quote a logfmt value when it holds spaces, quotes or `=`. */
function logfmtValue(v: unknown): string {
  const s = typeof v === 'string' ? v : v instanceof Error ? v.message : (JSON.stringify(v) ?? 'null');
  return /[\s"=]/.test(s) || s === '' ? JSON.stringify(s) : s;
}

/** Turns one pino JSON line into logfmt: `ts=… level=info msg="…" key=value`. */
function jsonLineToLogfmt(line: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line; // not JSON: pass through unchanged rather than lose it
  }
  const { time, level, msg, pid: _pid, hostname: _host, ...rest } = rec;
  const parts = [
    `ts=${new Date(typeof time === 'number' ? time : Date.now()).toISOString()}`,
    `level=${LEVEL_NAMES[Number(level)] ?? String(level)}`,
    `msg=${logfmtValue(msg ?? '')}`,
  ];
  for (const [k, v] of Object.entries(rest)) parts.push(`${k}=${logfmtValue(v)}`);
  return parts.join(' ');
}

/** Logger writing to stderr in logfmt (default, like Prometheus' own exporters) or JSON. */
export function createLogger(opts: { level: LogLevel; format: LogFormat; destination?: NodeJS.WritableStream }): Logger {
  const out = opts.destination ?? process.stderr;
  if (opts.format === 'json') {
    return pino({ level: opts.level, base: undefined }, out as pino.DestinationStream);
  }
  const logfmt = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line) out.write(jsonLineToLogfmt(line) + '\n');
      }
      cb();
    },
  });
  return pino({ level: opts.level, base: undefined }, logfmt);
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
