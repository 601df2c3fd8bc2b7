/**
 * The first arguments that select a subcommand; anything else (flags or
 * nothing) runs the exporter. Kept apart from the commands themselves so the
 * exporter's start does not load them.
 */
export const COMMAND_NAMES: readonly string[] = ['status', 'report', 'capacity', 'alerts', 'help'];

export function isCommand(argv: readonly string[]): boolean {
  return argv.length > 0 && COMMAND_NAMES.includes(argv[0]);
}
