import { z } from 'zod';

/** `procsight capacity --json` (docs/cli.md). Tests validate the output against it. */
export const capacityJsonSchema = z.strictObject({
  end: z.iso.datetime(),
  days: z.number().int().positive(),
  horizon_days: z.number().int().positive(),
  prometheus: z.string(),
  job: z.string(),
  hosts: z.array(z.strictObject({ instance: z.string(), cpus: z.number().positive().nullable(), memory_bytes: z.number().positive().nullable() })),
  findings: z.array(
    z.strictObject({
      instance: z.string(),
      group: z.string().nullable(),
      resource: z.enum(['cpu', 'memory', 'fds']),
      measure: z.string(),
      unit: z.enum(['cores', 'bytes', 'ratio']),
      latest: z.number(),
      limit: z.number().positive(),
      use: z.number().nonnegative(),
      trend_per_day: z.number().nullable(),
      days_to_exhaustion: z.number().nonnegative().nullable(),
      open_fds: z.number().nonnegative().optional(),
      days: z.number().int().nonnegative(),
      daily: z.array(z.strictObject({ date: z.iso.date(), value: z.number() })),
      recommendation: z.strictObject({ level: z.enum(['act', 'plan', 'watch', 'ok']), text: z.string().min(1) }),
    }),
  ),
});
