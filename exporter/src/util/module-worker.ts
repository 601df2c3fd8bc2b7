import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, Worker, type WorkerOptions } from 'node:worker_threads';
import { ConfigError, configErrorOf } from '../errors';
import { errorMessage } from './error-message';

/**
 * A worker thread running the module `name` beside the caller's file (`dir`
 * is the caller's `__dirname`): the compiled `name.js` in the built exporter,
 * the TypeScript source through tsx in tests and under tsx.
 */
export function moduleWorker(dir: string, name: string, opts: Pick<WorkerOptions, 'workerData'> = {}): Worker {
  const js = join(dir, `${name}.js`);
  if (existsSync(js)) return new Worker(js, opts);
  const ts = join(dir, `${name}.ts`);
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(ts)});`, { ...opts, eval: true });
}

/** An error as a worker thread sends it (a structured clone keeps no class): a ConfigError's key (null for any other error) and its message. */
interface SentError {
  key: string | null;
  message: string;
}

function toSent(e: unknown): SentError {
  return { key: e instanceof ConfigError ? e.key : null, message: errorMessage(e) };
}

/** The error a worker thread sent, again: a ConfigError with the same key and message, or an Error with its message. */
function fromSent(s: SentError): Error {
  return s.key === null ? new Error(s.message) : configErrorOf(s.key, s.message);
}

/** A worker's one answer: what it made, or the error it met. */
type WorkerAnswer<T> = { ok: true; value: T } | { ok: false; error: SentError };

/** In a worker thread: runs `make` and posts what it returns, or what it throws, as the one answer askWorker waits for. */
export function answerParent<T>(make: () => T): void {
  let answer: WorkerAnswer<T>;
  try {
    answer = { ok: true, value: make() };
  } catch (e) {
    answer = { ok: false, error: toSent(e) };
  }
  parentPort?.postMessage(answer);
}

/**
 * Runs `name` beside `dir` in a worker thread for its one answer (answerParent),
 * then ends the thread. Rejects with the error the module met (a ConfigError
 * again a ConfigError, key and message kept), and when the thread ends
 * without an answer.
 */
export function askWorker<T>(dir: string, name: string, workerData: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = moduleWorker(dir, name, { workerData });
    let answered = false;
    worker.once('message', (m: WorkerAnswer<T>) => {
      answered = true;
      void worker.terminate();
      if (m.ok) resolve(m.value);
      else reject(fromSent(m.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the worker thread ${name} (${dir}) ended with code ${code} without an answer`));
    });
  });
}
