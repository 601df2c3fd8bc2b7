import { configErrorFrom, type ConfigError } from '../errors';
import { moduleWorker } from '../util/module-worker';
import type { ParsedCli } from './parse';

/** What the flag parser printed: help or version on stdout, its own complaint on stderr. */
interface CliOutput {
  stdout: string;
  stderr: string;
}

/** The worker's one answer (key null: not a ConfigError). */
export type CliAnswer = ({ ok: true; parsed: ParsedCli } | { ok: false; key: string | null; message: string }) & { output: CliOutput };

/** The flags, or the ConfigError naming the bad one; with what the parser printed, for the caller to write. */
export type IsolatedCli = ({ ok: true; parsed: ParsedCli } | { ok: false; error: ConfigError }) & { output: CliOutput };

/**
 * Parses the flags (./parse.ts) in a worker thread that ends once it has
 * answered, so the flag library and the flag tables are not held in the main
 * thread's heap for the exporter's lifetime.
 */
export function parseCliIsolated(argv: readonly string[], opts: { version: string }): Promise<IsolatedCli> {
  return new Promise((resolve, reject) => {
    const worker = moduleWorker(__dirname, 'worker', { workerData: { argv: [...argv], version: opts.version } });
    let answered = false;
    worker.once('message', (m: CliAnswer) => {
      answered = true;
      void worker.terminate();
      if (m.ok) resolve({ ok: true, parsed: m.parsed, output: m.output });
      else if (m.key !== null) resolve({ ok: false, error: configErrorFrom(m.key, m.message), output: m.output });
      else reject(new Error(m.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the flag parser's worker ended (code ${code}) without an answer`));
    });
  });
}
