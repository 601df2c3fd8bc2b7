#!/usr/bin/env node
'use strict';
/**
 * The `procsight` command. Runs the built exporter (dist/main.js); in a clone
 * where dist/ is missing or older than src/ (npm ci does not build), it runs
 * the TypeScript sources through tsx, a dev dependency of the repository, so
 * `npx procsight …` works right after `npm ci`. A published or globally
 * installed package has no src/ and always runs dist/.
 */
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const dist = join(root, 'dist', 'main.js');
const src = join(root, 'src');

/** Newest modification time of the .ts and .json files under dir (0 when there is no dir). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (/\.(ts|json)$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

function tsxAvailable() {
  try {
    require.resolve('tsx/cjs');
    return true;
  } catch (e) {
    if (e && e.code === 'MODULE_NOT_FOUND') return false;
    throw e;
  }
}

const sourcesNewer = existsSync(join(src, 'main.ts')) && (!existsSync(dist) || newest(src) > statSync(dist).mtimeMs);
const fromSource = sourcesNewer && tsxAvailable();
if (!fromSource && !existsSync(dist)) {
  process.stderr.write('procsight: exporter/dist is missing and tsx is not installed: run `npm ci && npm run build -w exporter`\n');
  process.exit(3);
}
if (fromSource) require('tsx/cjs');
const load = (rel) => require(fromSource ? join(src, `${rel}.ts`) : join(root, 'dist', `${rel}.js`));

// Subcommands load only the command line, not the whole exporter (main.ts dispatches them too, for `node dist/main.js status`).
const argv = process.argv.slice(2);
if (load('commands/names').isCommand(argv)) {
  load('commands/index')
    .runCommand(argv)
    .then(
      (code) => process.exit(code),
      (e) => {
        process.stderr.write(`procsight: internal error: ${String(e && e.message ? e.message : e).split('\n')[0]}\n`);
        process.exit(3);
      },
    );
} else {
  load('main');
}
