import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';

/** procfs files are small; one shared buffer avoids an allocation and an fstat per read. */
const BUFFER = Buffer.allocUnsafe(256 * 1024);

/**
 * Reads a whole (small) file as latin1 with open/read/close into a shared
 * buffer: procfs files report size 0, so readFileSync's fstat and growing
 * buffers are pure overhead here (docs/benchmarks.md). Files larger than the
 * buffer are cut at its size.
 */
export function readSmallFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    let n = 0;
    for (;;) {
      const r = readSync(fd, BUFFER, n, BUFFER.length - n, null);
      if (r <= 0) break;
      n += r;
      if (n === BUFFER.length) break;
    }
    return BUFFER.toString('latin1', 0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Every procfs path goes through here, joined onto a configurable root
 * (`--path.procfs`, default /proc), so tests run on a fixtures tree.
 */
export class ProcFs {
  readonly root: string;

  constructor(root: string = '/proc') {
    this.root = resolve(root);
  }

  /** Joined by concatenation: the parts are pids, tids and file names, and path.join's normalising was 5 % of the collector's allocations. */
  path(...parts: Array<string | number>): string {
    let out = this.root === '/' ? '' : this.root;
    for (const p of parts) out += `/${p}`;
    return out;
  }

  /** Reads a file under the root (throws the fs error: ENOENT, EACCES, …). */
  read(...parts: Array<string | number>): string {
    return readSmallFile(this.path(...parts));
  }
}
