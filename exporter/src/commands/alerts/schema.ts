import { z } from 'zod';

/** `procsight alerts tune --json` (docs/cli.md). Tests validate the output against it. */
export const tuneJsonSchema = z.strictObject({
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  days: z.number().int().positive(),
  prometheus: z.string(),
  job: z.string(),
  percentile: z.number().min(0).max(1),
  output: z.string().nullable(),
  rules: z.strictObject({ thresholds: z.number().int().nonnegative(), alerts: z.number().int().nonnegative() }),
  signals: z.array(
    z.strictObject({
      instance: z.string(),
      group: z.string(),
      signal: z.enum(['cpu', 'memory', 'fds', 'threads', 'io']),
      unit: z.enum(['cores', 'bytes', 'count', 'bytes/s']),
      samples: z.number().int().nonnegative(),
      p50: z.number().nullable(),
      p99: z.number(),
      max: z.number().nullable(),
      levels: z.array(
        z.strictObject({
          priority: z.enum(['P1', 'P2', 'P3']),
          severity: z.enum(['critical', 'warning', 'info']),
          threshold: z.number().positive(),
          for: z.string(),
        }),
      ),
      skipped: z.string().nullable(),
    }),
  ),
});
