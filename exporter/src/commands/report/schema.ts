import { z } from 'zod';
import { GRADES } from '../grades';

/** `procsight report daily|weekly --json` (docs/cli.md). Tests validate the output against it. */
const grade = z.enum(GRADES as [string, ...string[]]);
const sli = z.strictObject({
  value: z.number().min(0).max(1).nullable(),
  grade: grade.nullable(),
  previous: z.number().min(0).max(1).nullable(),
  previous_grade: grade.nullable(),
});
const period = z.strictObject({
  instance: z.string(),
  group: z.string(),
  kind: z.string(),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  duration_seconds: z.number().nonnegative(),
  peak: z.number(),
  ongoing: z.boolean(),
});
const periods = {
  periods: z.array(period),
  total_seconds: z.number().nonnegative(),
  previous_count: z.number().int().nonnegative(),
  previous_total_seconds: z.number().nonnegative(),
};

export const reportJsonSchema = z.strictObject({
  period: z.enum(['daily', 'weekly']),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  previous_start: z.iso.datetime(),
  prometheus: z.string(),
  job: z.string(),
  hosts: z.array(
    z.strictObject({
      instance: z.string(),
      hostname: z.string().nullable(),
      slis: z.strictObject({ availability: sli, collection_success: sli, cpu_headroom: sli, memory_headroom: sli }),
      grade: grade.nullable(),
    }),
  ),
  top: z.strictObject({
    cpu: z.array(
      z.strictObject({
        instance: z.string(),
        group: z.string(),
        avg_cores: z.number().nonnegative(),
        peak_cores: z.number().nonnegative().nullable(),
        previous_avg_cores: z.number().nonnegative().nullable(),
      }),
    ),
    memory: z.array(
      z.strictObject({
        instance: z.string(),
        group: z.string(),
        avg_bytes: z.number().nonnegative(),
        peak_bytes: z.number().nonnegative().nullable(),
        previous_avg_bytes: z.number().nonnegative().nullable(),
      }),
    ),
    io: z.array(
      z.strictObject({
        instance: z.string(),
        group: z.string(),
        read_bytes: z.number().nonnegative(),
        write_bytes: z.number().nonnegative(),
        total_bytes: z.number().nonnegative(),
        previous_total_bytes: z.number().nonnegative().nullable(),
      }),
    ),
  }),
  totals: z.strictObject({
    cpu_avg_cores: z.number(),
    previous_cpu_avg_cores: z.number().nullable(),
    memory_avg_bytes: z.number(),
    previous_memory_avg_bytes: z.number().nullable(),
    io_bytes: z.number(),
    previous_io_bytes: z.number().nullable(),
  }),
  bottlenecks: z.strictObject(periods),
  anomalies: z.strictObject({ ...periods, threshold: z.number() }),
  exhaustion: z.array(
    z.strictObject({
      instance: z.string(),
      group: z.string(),
      resource: z.string(),
      limit: z.string(),
      bound: z.enum(['mean', 'earliest']),
      soonest_seconds: z.number().nonnegative(),
      soonest_at: z.iso.datetime(),
      at_end_seconds: z.number().nonnegative().nullable(),
    }),
  ),
});
