import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError } from '../errors';
import { loadWebConfig } from '../server/web-config';
import { errorMessage } from '../util/error-message';
import { defaultConfig } from './defaults';
import type { ConfigAnswer, ConfigFiles } from './isolated';
import { loadConfig } from './load';

/** The config worker (./isolated.ts): loads the files it is given and answers once. */
function answer(files: ConfigFiles): ConfigAnswer {
  try {
    const config = files.configFile === null ? defaultConfig() : loadConfig(files.configFile);
    const webConfig = files.webConfigFile === null ? null : loadWebConfig(files.webConfigFile);
    return { ok: true, loaded: { config, webConfig } };
  } catch (e) {
    return { ok: false, key: e instanceof ConfigError ? e.key : null, message: errorMessage(e) };
  }
}

parentPort?.postMessage(answer(workerData as ConfigFiles));
