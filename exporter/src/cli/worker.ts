import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError } from '../errors';
import { errorMessage } from '../util/error-message';
import type { CliAnswer, CliWorkerInput } from './isolated';
import { parseCli } from './parse';

/** The flag parser's worker (./isolated.ts): parses once, with the exporter's PROCSIGHT_* variables, and answers. */
function answer(input: CliWorkerInput): CliAnswer {
  const output = { stdout: '', stderr: '' };
  const write = (s: string): void => void (output.stdout += s);
  const writeErr = (s: string): void => void (output.stderr += s);
  try {
    return {
      ok: true,
      parsed: parseCli(input.argv, { version: input.version, env: input.env, write, writeErr, terminal: { columns: input.columns } }),
      output,
    };
  } catch (e) {
    return { ok: false, key: e instanceof ConfigError ? e.key : null, message: errorMessage(e), output };
  }
}

parentPort?.postMessage(answer(workerData as CliWorkerInput));
