import { z } from 'zod';

/**
 * The `anomaly:` section of the config file. Every key has a default and a
 * comment; docs/config.md is generated from these schemas.
 * (Zod 4: use .prefault({}) on nested objects so their inner defaults apply.)
 */
export const anomalyConfigSchema = z.object({}).strict();

export type AnomalyConfig = z.infer<typeof anomalyConfigSchema>;
