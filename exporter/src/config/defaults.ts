import { configSchema, type ProcsightConfig } from './schema';

/**
 * The embedded defaults (no --config.file): the schema's defaults, the same
 * config loadConfig(null) gives (test/unit/config/defaults checks it), without
 * loading the YAML parser, which only a config file needs.
 */
export function defaultConfig(): ProcsightConfig {
  return configSchema.parse({});
}
