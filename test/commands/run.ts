import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCommand } from '../../exporter/src/commands';
import type { CommandIo } from '../../exporter/src/commands/context';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `procsight <argv>` in-process with captured output (not a terminal: no colour, no progress). */
export async function run(argv: string[], opts: { env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdoutIsTty: opts.tty ?? false,
    stderrIsTty: opts.tty ?? false,
    env: opts.env ?? {},
    now: () => Date.now(),
  };
  const code = await runCommand(argv, io);
  return { code, stdout, stderr };
}

const GOLDEN = join(__dirname, 'golden');

/**
 * Compares text with test/commands/golden/<name>. A missing golden file
 * fails the test; UPDATE_GOLDEN=1 writes it instead.
 */
export function expectGolden(name: string, text: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${name} is missing: run the test with UPDATE_GOLDEN=1 and review the file`);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

/** One line on stderr, no stack trace. */
export function expectOneLineError(r: Ran, pattern: RegExp): void {
  expect(r.code).toBe(3);
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^procsight: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}
