import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

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

/**
 * Runs `name` beside `dir` in a worker thread for its one answer, then ends
 * the thread. Rejects when the module throws or the thread ends without an
 * answer.
 */
export function askWorker<T>(dir: string, name: string, workerData: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = moduleWorker(dir, name, { workerData });
    let answered = false;
    worker.once('message', (m: T) => {
      answered = true;
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the worker thread ${name} (${dir}) ended with code ${code} without an answer`));
    });
  });
}
