/**
 * Where a process's CPU time and run-queue wait went, CPU by CPU, estimated
 * from what /proc says without tracing the scheduler: the CPUs it may run on
 * (its affinity, Cpus_allowed_list, which already reflects its cpuset) and
 * the CPU it last ran on (stat field 39), both as of the last full read.
 *
 * - pinned to one CPU: all of it there (exact);
 * - single-threaded, may run on several CPUs: all of it on the CPU it last
 *   ran on. One reading is a sample, not a record, but a busy process is read
 *   every cycle, and over a minute its readings show where its time went;
 * - multi-threaded: spread evenly over its allowed CPUs (stat's `processor`
 *   is the main thread's only, and per-thread stat files would cost a read
 *   per thread);
 * - affinity unknown: on the CPU it last ran on when known, else nowhere
 *   (its time is left unplaced rather than guessed).
 */
export interface PlacementInput {
  threads: number;
  processor: number | null;
  cpusAllowed: readonly number[] | null;
}

/** Adds `amount` (seconds of CPU or of wait) to `byCpu` (indexed by CPU number) as the rules above place it; returns whether it was placed. */
export function placeOnCpus(byCpu: number[], p: PlacementInput, amount: number): boolean {
  if (amount <= 0) return true;
  const cpus = p.cpusAllowed;
  const one = cpus !== null && cpus.length === 1 ? cpus[0] : p.processor !== null && (p.threads <= 1 || cpus === null || cpus.length === 0) ? p.processor : null;
  if (one !== null) {
    add(byCpu, one, amount);
    return true;
  }
  if (cpus === null || cpus.length === 0) return false;
  for (const c of cpus) add(byCpu, c, amount / cpus.length);
  return true;
}

function add(byCpu: number[], cpu: number, amount: number): void {
  while (byCpu.length <= cpu) byCpu.push(0);
  byCpu[cpu] += amount;
}
