#!/usr/bin/env node
// Installs the workspace's npm dependencies when they are missing, so that
// `npm start` and `npm test` work on a fresh clone. Does nothing otherwise.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(marker)) {
  console.error('procsight: node_modules missing, running npm ci');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}
