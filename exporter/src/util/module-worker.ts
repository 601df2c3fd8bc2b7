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
