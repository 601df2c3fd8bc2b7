import { z } from 'zod';
import { STREAM_DEFAULTS } from './stream';

/**
 * The `anomaly:` section of the config file. docs/config.md is generated from
 * these descriptions. The detector's options default to the shipped ones,
 * chosen by cross-validation (docs/evaluation.md); other values are not
 * evaluated (the tests use shorter ones to learn in a minute).
 */
export const anomalyConfigSchema = z
  .object({
    detector: z
      .object({
        cell_seconds: z
          .number()
          .int()
          .min(1)
          .max(3600)
          .default(STREAM_DEFAULTS.minCellSeconds)
          .describe('Samples closer than this are averaged into one cell, the unit the detector scores (at 15 s sampling a cell holds four samples)'),
        baseline_hours: z
          .number()
          .positive()
          .max(168)
          .default(STREAM_DEFAULTS.baselineHours)
          .describe('Span of the recent baseline (median and MAD of its cells); cells widen so that it fits 1,024 of them'),
        min_baseline_cells: z
          .number()
          .int()
          .min(3)
          .max(256)
          .default(STREAM_DEFAULTS.minBaselineCells)
          .describe('Cells a series learns before its first score (its `learning` state: 12 one-minute cells = 12 minutes by default)'),
        range_lag_minutes: z
          .number()
          .min(0)
          .max(1440)
          .default(STREAM_DEFAULTS.rangeLagMinutes)
          .describe('Cells join the range a value is compared with this long after they were seen, so a slow ramp leaves the range it started from'),
        restart_grace_minutes: z
          .number()
          .min(0)
          .max(1440)
          .default(STREAM_DEFAULTS.restartGraceMinutes)
          .describe(
            'After every process of a group was replaced (a restart), its series are neither scored nor learned for this long (their `settling` state)',
          ),
      })
      .strict()
      .prefault({})
      .describe('The streaming detector run per group and signal (defaults: the evaluated ones)'),
    novelty_cpu_cores: z
      .number()
      .min(0)
      .default(0.5)
      .describe('An unfamiliar group (first seen after the exporter learned for its first minutes) using at least this many cores scores novelty'),
    novelty_memory_ratio: z.number().min(0).max(1).default(0.05).describe('…or at least this share of host memory'),
    novelty_window_seconds: z.number().int().min(60).default(900).describe('How long after its first sighting a group counts as unfamiliar'),
  })
  .strict();

export type AnomalyConfig = z.infer<typeof anomalyConfigSchema>;
