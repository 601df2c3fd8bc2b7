import { z } from 'zod';

/**
 * The `bottleneck:` section of the config file. Every key has a default and a
 * comment; docs/config.md is generated from these schemas.
 * (Zod 4: use .prefault({}) on nested objects so their inner defaults apply.)
 */
export const bottleneckConfigSchema = z.object({}).strict();

export type BottleneckConfig = z.infer<typeof bottleneckConfigSchema>;
