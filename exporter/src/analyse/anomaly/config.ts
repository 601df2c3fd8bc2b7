import { z } from 'zod';

/**
 * The `anomaly:` section of the config file. docs/config.md is generated from
 * these descriptions.
 */
export const anomalyConfigSchema = z
  .object({
    threshold: z.number().min(0).max(1).default(0.9).describe('Score at or above which a score is flagged `anomalous` in /api/v1/anomalies (per signal, 0.9 ≈ 5 robust standard deviations). Bottleneck confidence uses the score itself; the alert rules have their own thresholds (alert-rules/src/thresholds.ts)'),
    step_seconds: z.number().int().min(5).max(300).default(15).describe('Seconds per point scored (samples are averaged into points of this length)'),
    baseline_points: z.number().int().min(20).max(2000).default(240).describe('Points in the rolling baseline (240 × 15 s = 1 hour)'),
    recent_points: z.number().int().min(1).max(20).default(2).describe('Newest points averaged into the scored value (smooths single spikes)'),
    warmup_points: z.number().int().min(10).max(2000).default(40).describe('Points before a score is exported (40 × 15 s = 10 minutes); the series is absent until then'),
    seasonal_after_points: z.number().int().min(0).default(5760).describe('Points of history after which the time-of-day profile is used (5760 × 15 s = 24 h; 0 disables and keeps no profile)'),
    seasonal_days: z.number().int().min(1).max(28).default(7).describe('Past days in the time-of-day profile: each hour of each day is kept as the median and MAD of its points'),
    seasonal_min_days: z.number().int().min(1).max(28).default(1).describe('Past days with a summary of the current hour needed before the profile replaces the rolling baseline (at most seasonal_days)'),
    retrain_points: z.number().int().min(10).default(240).describe('Points between refits of the multivariate (robust Mahalanobis) model'),
    novelty_cpu_cores: z.number().min(0).default(0.5).describe('An unfamiliar group (first seen after the exporter warmed up) using at least this many cores scores novelty'),
    novelty_memory_ratio: z.number().min(0).max(1).default(0.05).describe('…or at least this share of host memory'),
    novelty_window_seconds: z.number().int().min(60).default(900).describe('How long after its first sighting a group counts as unfamiliar'),
  })
  .strict();

export type AnomalyConfig = z.infer<typeof anomalyConfigSchema>;
