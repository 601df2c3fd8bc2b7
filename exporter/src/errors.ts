import type { CollectErrorReason } from '@procsight/contract';

/**
 * One error hierarchy. Every error procsight raises on purpose is a
 * ProcsightError; `code` is stable and safe to show to users (no paths, no
 * stack traces). Anything else reaching a boundary is an internal error.
 */
export class ProcsightError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bad configuration: start-up stops with exit code 2 and this message. */
export class ConfigError extends ProcsightError {
  /** Dotted key path, e.g. `groups[2].cmdline`. */
  readonly key: string;
  constructor(key: string, message: string, options?: { cause?: unknown }) {
    super('config', key ? `${key}: ${message}` : message, options);
    this.key = key;
  }
}

/** A ConfigError from its key and whole message (`key: …`, as ConfigError writes it). */
export function configErrorOf(key: string, message: string): ConfigError {
  return new ConfigError(key, key && message.startsWith(`${key}: `) ? message.slice(key.length + 2) : message);
}

/** A /proc file could not be read or parsed. `reason` feeds procsight_collect_errors_total. */
export class ReadError extends ProcsightError {
  readonly reason: CollectErrorReason;
  constructor(reason: ReadError['reason'], message: string, options?: { cause?: unknown }) {
    super(`read_${reason}`, message, options);
    this.reason = reason;
  }
}

/** Bad API input: becomes a 4xx with this message. */
export class RequestError extends ProcsightError {
  readonly status: number;
  constructor(status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503, message: string) {
    super('request', message);
    this.status = status;
  }
}

/** Checkpoint unreadable, corrupt or from another version: ignored with one warning. */
export class CheckpointError extends ProcsightError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('checkpoint', message, options);
  }
}

/** A remediation request that cannot be done as asked (the API answers 404, 409 or 503 with this message). */
export class ActionError extends ProcsightError {
  readonly reason: 'not_found' | 'conflict' | 'unavailable';
  constructor(reason: ActionError['reason'], message: string) {
    super(`action_${reason}`, message);
    this.reason = reason;
  }
}
