/**
 * Errors of the command line. Every one ends the command with exit code 3
 * (UNKNOWN in the Nagios convention: the check could not be made) and one
 * line on stderr, never a stack trace.
 */
export const EXIT_UNKNOWN = 3;

export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

/** A URL that cannot be reached, refuses our credentials or answers something that is not the API we expect. */
export class SourceError extends CommandError {}

/** The source answers but holds no procsight data for what was asked (job, instance, period). */
export class NoDataError extends CommandError {}

/** Bad flags or arguments. */
export class UsageError extends CommandError {}

/** One line for stderr: the message of a CommandError, or the first line of anything else. */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0].trim() || 'unknown error';
}
