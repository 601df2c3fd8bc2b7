import { workerData } from 'node:worker_threads';
import { loadWebConfig } from '../server/web-config';
import { answerParent } from '../util/module-worker';
import { defaultConfig } from './defaults';
import type { ConfigFiles, LoadedConfigs } from './isolated';
import { loadConfig } from './load';

/** The config worker (./isolated.ts): loads the files it is given and answers once. */
answerParent((): LoadedConfigs => {
  const files = workerData as ConfigFiles;
  const config = files.configFile === null ? defaultConfig() : loadConfig(files.configFile);
  const webConfig = files.webConfigFile === null ? null : loadWebConfig(files.webConfigFile);
  return { config, webConfig };
});
