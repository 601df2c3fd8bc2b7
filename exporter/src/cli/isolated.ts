import { configErrorOf, type ConfigError } from '../errors';
import { askWorker } from '../util/module-worker';
import type { ParsedCli } from './parse';

/** What the flag parser printed: help or version on stdout, its own complaint on stderr. */
interface CliOutput {
  stdout: string;
  stderr: string;
}

/** What the worker parses: the arguments, the version text and the width of the terminal help goes to (undefined: not a terminal). */
export interface CliWorkerInput {
  argv: string[];
  version: string;
  columns: number | undefined;
  /** The PROCSIGHT_* variables, the flags' fallbacks. */
  env: Record<string, string>;
}

/** The worker's answer: the flags, or the refusal of a bad one (a ConfigError's key and message), with what the parser printed. */
export type CliAnswer = ({ parsed: ParsedCli; refused: null } | { parsed: null; refused: { key: string; message: string } }) & { output: CliOutput };

/** The flags, or the ConfigError naming the bad one; with what the parser printed, for the caller to write. */
export type IsolatedCli = ({ ok: true; parsed: ParsedCli } | { ok: false; error: ConfigError }) & { output: CliOutput };

/**
 * Parses the flags (./parse.ts) in a worker thread that ends once it has
 * answered, so the flag library and the flag tables are not held in the main
 * thread's heap for the exporter's lifetime.
 */
export async function parseCliIsolated(argv: readonly string[], opts: { version: string; columns?: number }): Promise<IsolatedCli> {
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('PROCSIGHT_') && e[1] !== undefined));
  const input: CliWorkerInput = { argv: [...argv], version: opts.version, columns: opts.columns, env };
  const m = await askWorker<CliAnswer>(__dirname, 'worker', input);
  if (m.refused === null) return { ok: true, parsed: m.parsed, output: m.output };
  return { ok: false, error: configErrorOf(m.refused.key, m.refused.message), output: m.output };
}
