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
 * - multi-threaded: somewhere among its allowed CPUs (stat's `processor` is
 *   the main thread's only, and per-thread stat files would cost a read per
 *   thread). The analysis spreads it over them in proportion to the busy time
 *   the host reports for each CPU beyond what was placed exactly
 *   (analyse/contention), since the scheduler moves such threads to the CPUs
 *   that have room;
 * - affinity unknown: on the CPU it last ran on when known, else nowhere
 *   (its time is left unplaced rather than guessed).
 */
export interface PlacementInput {
  threads: number;
  processor: number | null;
  cpusAllowed: readonly number[] | null;
}

/** One CPU (exact or sampled), the CPUs to spread it over, or nowhere. */
export type Placement = { cpu: number } | { spread: readonly number[] } | null;

export function placementOf(p: PlacementInput): Placement {
  const cpus = p.cpusAllowed;
  if (cpus !== null && cpus.length === 1) return { cpu: cpus[0] };
  if (p.processor !== null && (p.threads <= 1 || cpus === null || cpus.length === 0)) return { cpu: p.processor };
  if (cpus === null || cpus.length === 0) return null;
  return { spread: cpus };
}

/** Adds `amount` to `byCpu[cpu]`, growing the array as needed. */
export function addOnCpu(byCpu: number[], cpu: number, amount: number): void {
  while (byCpu.length <= cpu) byCpu.push(0);
  byCpu[cpu] += amount;
}
