import { closeSync, openSync, readdirSync, readSync, statfsSync, statSync } from 'node:fs';
import { errnoCode } from '../util/error-message';
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

  /** Whether the root is a procfs mount (null until asked). */
  private procfs: boolean | null = null;

  /**
   * How many descriptors a process has open. On procfs (Linux 6.2 and later)
   * one stat of its fd/ directory tells (its size is the count), where listing
   * it made a string per descriptor: the exporter's own, with every held
   * descriptor, lists over a thousand. Elsewhere, and where the size is 0, the
   * entries are counted.
   */
  countFds(pid: number | 'self'): number {
    const dir = this.path(pid, 'fd');
    if (this.isProcfs()) {
      const size = statSync(dir).size;
      if (size > 0) return size;
    }
    return readdirSync(dir).length;
  }

  private isProcfs(): boolean {
    if (this.procfs === null) {
      try {
        this.procfs = statfsSync(this.root).type === PROC_SUPER_MAGIC;
      } catch (e) {
        // A root that cannot be inspected is not taken for procfs: fd/ entries are then counted, which reports any real problem.
        if (errnoCode(e) === undefined) throw e;
        this.procfs = false;
      }
    }
    return this.procfs;
  }

  /** Descriptors kept open by readHeld, by pid. */
  private readonly held = new Map<number, { file: string; fd: number; listed: number }>();
  /** Counts the calls of releaseHeld: an entry whose `listed` is behind was not in the last list. */
  private listings = 0;
  /** At most this many held at once (0: none; the Linux reader sets it from the open-files limit). */
  private maxHeld = 0;

  /** Lets readHeld keep up to `n` descriptors open. */
  holdUpTo(n: number): void {
    this.maxHeld = n;
  }

  /**
   * Reads a process's file through a descriptor kept open between calls
   * (reading a procfs file again from offset 0 regenerates it): for a file
   * read at every cycle, about a quarter of the cost of open, read and close,
   * whose path lookup in procfs is the expensive part (docs/benchmarks.md).
   * One file per pid (asking for another one closes the first). A held descriptor of a process that has exited fails
   * with ESRCH, also when its pid was reused (the descriptor stays with the
   * old process): it is closed and the file opened afresh once. Beyond
   * `holdUpTo` descriptors, files are read plainly.
   */
  readHeld(pid: number, file: string): string {
    const h = this.held.get(pid);
    if (h !== undefined && h.file === file) {
      try {
        return readFrom0(h.fd);
      } catch (e) {
        this.drop(pid, h.fd);
        if (errnoCode(e) !== 'ESRCH') throw e;
      }
    } else if (h !== undefined) {
      this.drop(pid, h.fd);
    }
    if (this.held.size >= this.maxHeld) return this.read(pid, file);
    const opened = openSync(this.path(pid, file), 'r');
    this.held.set(pid, { file, fd: opened, listed: this.listings });
    try {
      return readFrom0(opened);
    } catch (e) {
      this.drop(pid, opened);
      throw e;
    }
  }

  /** Closes the held descriptors of processes not in `live` (called with each new list of pids). */
  releaseHeld(live: readonly number[]): void {
    if (this.held.size === 0) return;
    // Marks instead of a Set of every pid: this runs at every cycle.
    const listing = ++this.listings;
    for (const pid of live) {
      const h = this.held.get(pid);
      if (h !== undefined) h.listed = listing;
    }
    this.held.forEach((h, pid) => {
      if (h.listed !== listing) this.drop(pid, h.fd); // deleting the visited entry is safe in forEach
    });
  }

  /** Closes every held descriptor. */
  close(): void {
    for (const [pid, h] of this.held) this.drop(pid, h.fd);
  }

  private drop(pid: number, fd: number): void {
    this.held.delete(pid);
    closeSync(fd);
  }
}

/** statfs f_type of procfs (linux/magic.h). */
const PROC_SUPER_MAGIC = 0x9fa0;

function readFrom0(fd: number): string {
  const n = readSync(fd, BUFFER, 0, BUFFER.length, 0);
  return BUFFER.toString('latin1', 0, n);
}

/**
 * How many descriptors the collector may keep open, from the text of
 * /proc/self/limits: a quarter of the soft limit on open files (the rest for
 * connections, checkpoints, reads), at most 16,384; 0 when it cannot be read.
 */
export function heldFileBudget(limitsText: string): number {
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(limitsText);
  if (!m) return 0;
  const soft = m[1] === 'unlimited' ? Infinity : Number(m[1]);
  return Math.min(16_384, Math.floor(soft / 4));
}
