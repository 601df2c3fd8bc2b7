/**
 * Where a command writes and what it knows of its terminal. Injected so tests
 * run commands in-process and read their output; the real one wraps process.
 */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdout is a terminal: colour may be used (unless NO_COLOR). */
  stdoutIsTty: boolean;
  /** stderr is a terminal: a progress indicator may be drawn. */
  stderrIsTty: boolean;
  env: NodeJS.ProcessEnv;
  /** Current time in ms (tests pin it). */
  now: () => number;
}

export function processIo(): CommandIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    env: process.env,
    now: () => Date.now(),
  };
}

/** Colour only on a terminal, never with NO_COLOR set (https://no-color.org) or TERM=dumb. */
export function useColour(io: CommandIo): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.TERM === 'dumb') return false;
  return io.stdoutIsTty;
}
