// Extends the scaffold's webpack config (.config/ stays as generated):
// nested panels' logos are copied next to their plugin.json; the contract
// package is bundled from its TypeScript source (packages/contract); the build
// cache lives next to this file, not under node_modules, because checkouts
// that share one node_modules (git worktrees) would otherwise share it, and
// webpack then copies another checkout's plugin.json and README into dist/.
import type { Configuration } from 'webpack';
import path from 'node:path';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return merge(base, {
    cache: { type: 'filesystem', cacheDirectory: path.resolve(__dirname, '.cache', 'webpack') },
    resolve: { alias: { '@procsight/contract$': path.resolve(__dirname, '../packages/contract/src/index.ts') } },
    plugins: [new CopyWebpackPlugin({ patterns: [{ from: 'panels/**/img/**/*', to: '.', noErrorOnMissing: false }] })],
  });
};

export default config;
