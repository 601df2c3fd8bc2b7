import type { WebConfig } from '../server/web-config';
import { askWorker } from '../util/module-worker';
import type { ProcsightConfig } from './schema';

/** The files to read (null: the embedded defaults; no web config). */
export interface ConfigFiles {
  configFile: string | null;
  webConfigFile: string | null;
}

export interface LoadedConfigs {
  config: ProcsightConfig;
  webConfig: WebConfig | null;
}

/**
 * Reads and validates the config file (or the embedded defaults) and the web
 * config in a worker thread that ends once it has answered. The schema
 * library, the schemas and the YAML parser are then not held in the main
 * thread's heap for the exporter's lifetime (about 5 MB of it: each isolate's
 * heap grows in steps above what it holds, and RSS follows). A bad file is
 * the same ConfigError, naming the key, as when loaded in place.
 */
export function loadConfigsIsolated(files: ConfigFiles): Promise<LoadedConfigs> {
  return askWorker<LoadedConfigs>(__dirname, 'worker', files);
}
