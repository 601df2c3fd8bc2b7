import { z } from 'zod';

/** `procsight status --json` (docs/cli.md). Tests validate the output against it. */
const level = z.enum(['OK', 'WARNING', 'CRITICAL']);

export const statusJsonSchema = z.strictObject({
  status: level,
  exit_code: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  checked_at: z.iso.datetime(),
  source: z.strictObject({ kind: z.enum(['exporter', 'prometheus']), urls: z.array(z.string()) }),
  window_seconds: z.number(),
  hosts: z.array(
    z.strictObject({
      instance: z.string(),
      hostname: z.string().nullable(),
      status: level,
      reasons: z.array(z.string()),
      up: z.boolean().nullable(),
      last_collect_age_seconds: z.number().nonnegative().nullable(),
      bottlenecks: z.array(
        z.strictObject({
          group: z.string(),
          kind: z.string(),
          level,
          severity: z.number().min(0).max(1),
          confidence: z.number().min(0).max(1).nullable(),
          since: z.iso.datetime().nullable(),
          evidence: z.array(
            z.strictObject({
              feature: z.string(),
              value: z.number(),
              threshold: z.number().nullable(),
              baseline: z.number().nullable(),
              unit: z.string(),
              text: z.string(),
            }),
          ),
          action: z.strictObject({ id: z.string(), title: z.string(), first_step: z.string().nullable() }).nullable(),
        }),
      ),
      exhaustion: z.array(
        z.strictObject({
          group: z.string(),
          resource: z.string(),
          limit: z.string(),
          bound: z.enum(['mean', 'earliest']),
          seconds: z.number().nonnegative(),
          level,
        }),
      ),
    }),
  ),
});
