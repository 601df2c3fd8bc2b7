import type { Signal } from '@procsight/contract';
import type { StreamDetectorOptions } from './stream';

/** Smallest σ per signal, in base units: below these, changes are noise. */
export const MIN_SCALE: Readonly<Record<Signal, number>> = {
  cpu: 0.02, // cores
  memory: 4 * 1024 * 1024, // bytes
  io_read: 64 * 1024, // bytes/s
  io_write: 64 * 1024,
  threads: 1,
  fds: 2,
  context_switches: 20, // per second
  cpu_wait: 0.01, // s/s
  page_faults: 1, // major faults/s
};

/**
 * The facts of a signal the detector is given beside the shipped defaults:
 * its noise floor in units (`minScale`) and its natural bounds. CPU lies in
 * [0, host cores] (a rate over a jittery interval can read a little above);
 * every other signal is ≥ 0. Memory has no upper bound: a group's RSS sums
 * its processes' shared pages once per process and can exceed the host's
 * memory.
 */
export function signalOptions(signal: Signal, host: { cpus: number }): Partial<StreamDetectorOptions> {
  const bounds = signal === 'cpu' && host.cpus > 0 ? { min: 0, max: host.cpus } : { min: 0 };
  return { minScale: MIN_SCALE[signal], bounds };
}
