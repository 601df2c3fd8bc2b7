import { Worker } from 'node:worker_threads';
import { ProcsightError } from '../errors';

/**
 * bcrypt comparisons on a worker thread. bcryptjs' own async `compare` only
 * yields every 100 ms, and one comparison at cost 10 takes ~80 ms, so it
 * would still hold the event loop (scrapes, collection) for the whole
 * comparison. Here the event loop only posts a message. One thread: the
 * comparisons queue there, and basicAuth bounds how many may be queued.
 */
export class BcryptWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve(ok: boolean): void; reject(e: Error): void }>();
  private nextId = 0;
  private closed = false;

  compare(password: string, hash: string): Promise<boolean> {
    if (this.closed) return Promise.reject(new ProcsightError('auth', 'bcrypt worker closed'));
    const w = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<boolean>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, password, hash });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
    this.failAll(new ProcsightError('auth', 'bcrypt worker closed'));
  }

  private start(): Worker {
    const source = [
      "const { parentPort } = require('node:worker_threads');",
      `const bcrypt = require(${JSON.stringify(require.resolve('bcryptjs'))});`,
      'parentPort.on("message", ({ id, password, hash }) => {',
      '  try { parentPort.postMessage({ id, ok: bcrypt.compareSync(password, hash) }); }',
      '  catch (e) { parentPort.postMessage({ id, error: String((e && e.message) || e) }); }',
      '});',
    ].join('\n');
    const w = new Worker(source, { eval: true });
    // An idle worker must not keep the process alive.
    w.unref();
    w.on('message', (m: { id: number; ok?: boolean; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new ProcsightError('auth', `bcrypt: ${m.error}`));
      else p.resolve(m.ok === true);
    });
    const fail = (e: Error): void => {
      // Start a fresh worker on the next comparison; those in flight fail (500, counted as internal API errors).
      if (this.worker === w) this.worker = null;
      this.failAll(new ProcsightError('auth', `bcrypt worker stopped: ${e.message}`, { cause: e }));
    };
    w.on('error', fail);
    w.on('exit', (code) => {
      if (!this.closed) fail(new Error(`exit code ${code}`));
    });
    this.worker = w;
    return w;
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
