import { z } from 'zod';

/**
 * The `contention:` section: when a group counts as waiting for a resource,
 * and how much of that wait another group must explain to be named as its
 * culprit. docs/config.md is generated from these descriptions.
 */
export const contentionConfigSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe("Attribute groups' waits to the groups that cause them (procsight_contention, culprits in /api/v1/bottlenecks)"),
    smoothing_seconds: z.number().min(1).max(600).default(15).describe('Time constant of the moving averages the attribution works on (seconds)'),
    min_share: z.number().min(0.05).max(1).default(0.25).describe("Least share of a victim's wait a group must explain to be named as its culprit"),
    hold_seconds: z.number().int().min(0).default(10).describe("Seconds a culprit's share must stay at or above min_share before it is named"),
    clear_seconds: z.number().int().min(0).default(30).describe('Seconds its share must stay below half of min_share before the culprit is dropped'),
    max_culprits: z.number().int().min(1).max(10).default(3).describe('Most culprits named per victim and resource (the most to blame first)'),
    max_victims: z.number().int().min(1).max(1000).default(20).describe('Most victims analysed per resource and collection (the longest waits first)'),
    victim_hold_ratio: z
      .number()
      .min(0)
      .max(1)
      .default(0.7)
      .describe(
        "cpu and memory: a victim stays one while its wait is at least this share of the threshold that made it one (hysteresis: the culprit's hold is not restarted by a wait that hovers at the threshold); io has its own exit level, io_wait_exit",
      ),
    cpu_wait_min: z.number().min(0).default(0.05).describe('cpu: least run-queue wait of a victim (seconds per second)'),
    cpu_wait_share_min: z.number().min(0).max(1).default(0.25).describe('cpu: least share of its runnable time a victim spends waiting for a CPU'),
    cpu_culprit_min_cores: z.number().min(0).default(0.1).describe('cpu: least CPU a culprit uses on the CPUs where the victim waits (cores)'),
    io_wait_min: z
      .number()
      .min(0)
      .max(1)
      .default(0.25)
      .describe('io: least share of its time a victim waits on storage (its processes in D state, or its block-I/O delay where the kernel accounts it)'),
    io_wait_exit: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe(
        "io: a victim stays one while its smoothed wait on storage stays at or above this share (at most io_wait_min). Without the kernel's delay accounting the wait is a sample of D states, one per process and collection, so its 15-s average at a true 25 % varies by ±8 points (one process, 1-s collections) and more at longer intervals; 0.1 is 1.9 of those below io_wait_min, and it is where bottlenecks.io_bound_wait_ratio stops counting a wait at all",
      ),
    io_culprit_min_bytes_per_second: z.number().min(0).default(1048576).describe('io: least disk traffic of a culprit (bytes/s read + written)'),
    io_disk_busy_min: z
      .number()
      .min(0)
      .max(1)
      .default(0.3)
      .describe(
        "io: least share of the time the busiest disk has I/O in flight for a culprit to be named (below it the wait is the device's latency, not a neighbour's traffic)",
      ),
    io_disk_share_min: z
      .number()
      .min(0)
      .max(1)
      .default(0.2)
      .describe(
        "io: a disk carrying at least this share of the host's disk traffic counts as busy; with two or more busy disks no culprit is named (/proc does not say which disk a group uses)",
      ),
    memory_major_faults_min: z.number().min(0).default(10).describe('memory: least major page faults per second of a victim'),
    memory_culprit_min_growth_bytes: z
      .number()
      .min(0)
      .default(33554432)
      .describe("memory: least growth of a culprit's resident memory over the last 5 minutes (bytes)"),
    memory_low_available_ratio: z
      .number()
      .min(0)
      .max(1)
      .default(0.1)
      .describe(
        "memory: host available memory below this share of the total, or host memory pressure (PSI some) at or above memory_pressure_psi, makes growth anywhere on the host a possible cause; otherwise only growth in the victim's own memory cgroup counts",
      ),
    memory_pressure_psi: z.number().min(0).max(1).default(0.1).describe('memory: host PSI memory "some" share from which the host is short of memory'),
  })
  .strict();

export type ContentionConfig = z.infer<typeof contentionConfigSchema>;
