import { z } from 'zod';

/** Enter at `on`, leave below `off` (hysteresis), after `for_seconds` of the condition. */
const band = (on: number, off: number, forSeconds: number, desc: string, clearSeconds = forSeconds) =>
  z
    .object({
      on: z.number().min(0).max(1).default(on).describe('Severity at which the label turns on'),
      off: z.number().min(0).max(1).default(off).describe('Severity below which it turns off (hysteresis)'),
      for_seconds: z.number().int().min(0).default(forSeconds).describe('Seconds the severity must stay at or above `on` before the label shows'),
      clear_seconds: z.number().int().min(0).default(clearSeconds).describe('Seconds the severity must stay below `off` before the label goes'),
    })
    .strict()
    .prefault({})
    .describe(desc);

/**
 * The `bottlenecks:` section: thresholds of every rule (docs/config.md is
 * generated from these descriptions) and each label's hysteresis band.
 */
export const bottleneckConfigSchema = z
  .object({
    cpu_saturation_cores: z.number().min(0.1).default(0.85).describe('cpu_saturation: group CPU (1-minute mean, cores) from which a pegged core counts'),
    cpu_saturation_iowait_max: z.number().min(0).max(1).default(0.2).describe('cpu_saturation: host iowait share above which CPU time is not the limit'),
    cpu_starvation_wait_ratio: z.number().min(0).max(1).default(0.3).describe('cpu_starvation: run-queue wait / (CPU + wait) from which threads are starved'),
    cpu_starvation_host_pressure: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe('cpu_starvation: host PSI cpu "some" share that shows the host is short of CPU (without PSI: run queue > CPUs)'),
    cpu_starvation_wait_per_slice_seconds: z
      .number()
      .min(0)
      .default(0.0005)
      .describe('cpu_starvation: least mean run-queue wait per timeslice (0.5 ms): real queueing rather than many short wake-ups'),
    cpu_starvation_wait_min: z.number().min(0).default(0.1).describe('cpu_starvation: least run-queue wait (seconds per second) to consider'),
    memory_leak_min_bytes_per_second: z.number().min(0).default(8192).describe('memory_leak: slowest RSS growth worth a label (bytes/s; 8 KiB/s ≈ 0.5 MB/min)'),
    memory_leak_evidence_seconds: z
      .number()
      .int()
      .min(30)
      .default(600)
      .describe(
        'memory_leak: how long growth at the slowest rate must last before it is labelled; faster growth needs proportionally less (10 MB/min: 30 s), never less than memory_leak_min_seconds',
      ),
    memory_leak_min_seconds: z
      .number()
      .int()
      .min(10)
      .default(150)
      .describe("memory_leak: least duration of any growth labelled (a runtime's start-up growth lasts less)"),
    growth_confidence_z: z
      .number()
      .min(0)
      .default(3)
      .describe(
        "memory_leak, thread_explosion, fd_exhaustion, memory_pressure: one-sided z of the growth's (memory_pressure: the major fault rate's) lower confidence bound (3 ≈ 99.9 %): noisy growth or faults are labelled only once they have lasted long enough to clear it",
      ),
    memory_pressure_psi: z.number().min(0).max(1).default(0.1).describe('memory_pressure: host PSI memory "some" share from which memory stalls matter'),
    memory_pressure_cgroup_usage_ratio: z
      .number()
      .min(0)
      .max(1)
      .default(0.9)
      .describe("memory_pressure: share of its memory cgroup's limit charged from which the group is short of memory even while the host is not"),
    memory_pressure_major_faults: z.number().min(0).default(20).describe('memory_pressure: group major page faults per second from which the group suffers'),
    memory_pressure_evidence_seconds: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe(
        'memory_pressure: how long major faults at exactly memory_pressure_major_faults must last before the label (the 30-s hold the label had); k times that rate needs 1/k of it, never less than memory_pressure_min_seconds, and a noisy rate longer (its lower confidence bound must reach half the threshold)',
      ),
    memory_pressure_min_seconds: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe(
        "memory_pressure: least duration of major faults labelled, however many (as the contention analysis's culprit hold and the fd and thread growth: a process's start-up reading lasts less)",
      ),
    io_bound_bytes_per_second: z.number().min(0).default(1048576).describe('io_bound: least group disk I/O (bytes/s, 1-minute mean)'),
    io_bound_wait_ratio: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe('io_bound: host iowait or PSI io "some" share, or group block-I/O delay ratio, that shows waiting on storage'),
    lock_contention_switches_per_second: z.number().min(0).default(1000).describe('lock_contention: least voluntary context switches per second'),
    lock_contention_switches_per_cpu_second: z
      .number()
      .min(0)
      .default(10000)
      .describe('lock_contention: least voluntary switches per CPU-second used (many wake-ups, little work)'),
    lock_contention_min_threads: z.number().int().min(2).default(4).describe('lock_contention: least threads'),
    fd_exhaustion_ratio: z.number().min(0).max(1).default(0.8).describe('fd_exhaustion: open fds / soft limit of the worst process'),
    fd_exhaustion_horizon_seconds: z
      .number()
      .int()
      .min(60)
      .default(3600)
      .describe(
        "fd_exhaustion: also when the fds grow (the growth test over the last 5 minutes) and reach the limit within this many seconds: a one-process group at its growth's lower bound, a larger group at the trend of each process (the fastest-filling one)",
      ),
    fd_exhaustion_min_seconds: z.number().int().min(1).default(10).describe('fd_exhaustion: least duration of fd growth before its projection counts'),
    thread_explosion_growth: z.number().min(0).default(0.5).describe('thread_explosion: least relative growth of the thread count over 5 minutes'),
    thread_explosion_min_threads: z.number().int().min(1).default(50).describe('thread_explosion: least threads'),
    thread_explosion_min_seconds: z.number().int().min(1).default(10).describe('thread_explosion: least duration of thread growth labelled'),
    network_saturation_bytes_per_second: z
      .number()
      .min(0)
      .default(104857600)
      .describe('network_saturation: container network bytes/s (receive + transmit) counted as saturation (set to the link speed)'),
    max_suggestions_per_group: z
      .number()
      .int()
      .min(0)
      .max(20)
      .default(3)
      .describe(
        'Most procsight_suggestion series per group: the best action of each active bottleneck first (most severe first), then the top-ranked remaining actions (also the most suggestions the API lists per bottleneck)',
      ),
    bands: z
      .object({
        cpu_saturation: band(0.5, 0.35, 15, 'cpu_saturation hysteresis'),
        cpu_starvation: band(0.5, 0.3, 30, 'cpu_starvation hysteresis'),
        memory_leak: band(
          0.5,
          0.3,
          0,
          'memory_leak hysteresis (shown at once: the growth test already needs minutes of evidence; held 10 min, as a noisy leak crosses the test bound back and forth)',
          600,
        ),
        memory_pressure: band(
          0.5,
          0.3,
          0,
          'memory_pressure hysteresis (shown at once: the sequential test of the major fault rate is the hold, 30 s at the threshold rate and less the stronger the rate; held 30 s)',
          30,
        ),
        io_bound: band(0.5, 0.3, 20, 'io_bound hysteresis'),
        lock_contention: band(0.5, 0.3, 20, 'lock_contention hysteresis'),
        fd_exhaustion: band(0.5, 0.3, 10, 'fd_exhaustion hysteresis'),
        thread_explosion: band(0.5, 0.3, 10, 'thread_explosion hysteresis'),
        network_saturation: band(0.5, 0.3, 30, 'network_saturation hysteresis'),
      })
      .strict()
      .prefault({})
      .describe('Hysteresis of each label'),
  })
  .strict();

export type BottleneckConfig = z.infer<typeof bottleneckConfigSchema>;
