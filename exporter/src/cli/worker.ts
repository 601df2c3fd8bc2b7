import { workerData } from 'node:worker_threads';
import { ConfigError } from '../errors';
import { answerParent } from '../util/module-worker';
import type { CliAnswer, CliWorkerInput } from './isolated';
import { parseCli } from './parse';

/** The flag parser's worker (./isolated.ts): parses once, with the exporter's PROCSIGHT_* variables, and answers. */
answerParent((): CliAnswer => {
  const input = workerData as CliWorkerInput;
  const output = { stdout: '', stderr: '' };
  const write = (s: string): void => void (output.stdout += s);
  const writeErr = (s: string): void => void (output.stderr += s);
  try {
    return {
      parsed: parseCli(input.argv, { version: input.version, env: input.env, write, writeErr, terminal: { columns: input.columns } }),
      refused: null,
      output,
    };
  } catch (e) {
    // A bad flag is an answer, with what the parser printed about it; anything else is the worker's error.
    if (!(e instanceof ConfigError)) throw e;
    return { parsed: null, refused: { key: e.key, message: e.message }, output };
  }
});
