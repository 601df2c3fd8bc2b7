import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError } from '../errors';
import { errorMessage } from '../util/error-message';
import type { CliAnswer } from './isolated';
import { parseCli } from './parse';

/** The flag parser's worker (./isolated.ts): parses once, with the exporter's environment, and answers. */
function answer(input: { argv: string[]; version: string }): CliAnswer {
  const output = { stdout: '', stderr: '' };
  const write = (s: string): void => void (output.stdout += s);
  const writeErr = (s: string): void => void (output.stderr += s);
  try {
    return { ok: true, parsed: parseCli(input.argv, { version: input.version, write, writeErr }), output };
  } catch (e) {
    return { ok: false, key: e instanceof ConfigError ? e.key : null, message: errorMessage(e), output };
  }
}

parentPort?.postMessage(answer(workerData as { argv: string[]; version: string }));
