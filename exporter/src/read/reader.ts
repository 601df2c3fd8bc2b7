import type { CollectErrorReason } from '@procsight/contract';
import type { HostSnapshot, MissingField, ProcIdentity, ProcSample } from './types';

/** The read layer's interface: Linux /proc (linux-reader.ts) or a fallback. */
export interface ProcReader {
  /** Called at the start of each cycle (the fallback reader fetches its process list here). */
  prepare?(): Promise<void>;
  listPids(): number[];
  /** Releases what the reader keeps open between cycles (the Linux reader's held descriptors). */
  close?(): void;
  /**
   * Throws ReadError('vanished') when the process is gone. `previous` is the
   * process's last sample, so an idle process can be read cheaply; `refresh`
   * asks for a full read even so (fields that change without the process
   * running, such as RSS under reclaim, stay fresh).
   */
  readSample(
    pid: number,
    previous?: ProcSample,
    opts?: { refresh?: boolean },
  ): { sample: ProcSample; errors: Readonly<Partial<Record<CollectErrorReason, number>>>; missing: readonly MissingField[] };
  /**
   * Throws ReadError('vanished') when the process is gone; `errors` counts the
   * optional parts that could not be read (exe, cgroup, limits…).
   */
  readIdentity(pid: number): { identity: ProcIdentity; errors: Partial<Record<CollectErrorReason, number>> };
  /** Host context; `prev` and `seconds` let it compute rates; `cgroups`: v2 paths whose PSI is read; `memoryCgroups`: memory cgroups whose usage and limit are read. */
  readHost(input: { prev: HostSnapshot | null; seconds: number | null; cgroups: readonly string[]; memoryCgroups?: readonly string[] }): HostSnapshot;
  /**
   * rx/tx bytes of the network namespace `pid` lives in; null when the reader
   * has no per-namespace counters. Throws ReadError (with its reason) when the
   * file cannot be read or parsed.
   */
  readNetDev(pid: number): { rx: number; tx: number } | null;
  /** Inode of the host's network namespace (0 when unknown: no attribution). */
  hostNetNs(): number;
}
