import { z } from 'zod';

/**
 * The `forecast:` section of the config file. Every key has a default and a
 * comment; docs/config.md is generated from these schemas.
 * (Zod 4: use .prefault({}) on nested objects so their inner defaults apply.)
 */
export const forecastConfigSchema = z.object({}).strict();

export type ForecastConfig = z.infer<typeof forecastConfigSchema>;
