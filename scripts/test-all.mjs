#!/usr/bin/env node
// The one test command (`npm test`): type checks, the exporter's Jest suites
// (unit, golden, real /proc, Prometheus/Alertmanager end-to-end), the
// plugin's typecheck, lint, build and Jest suites, and the browser test of the
// built plugin (headless Chromium, test/browser). Stops at the first failing
// step and exits non-zero; prints one summary line per step.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);

/** @type {Array<{name: string, cmd: string, args: string[], when?: () => boolean}>} */
const steps = [
  { name: 'typecheck (exporter, tests)', cmd: 'npx', args: ['tsc', '-p', 'tsconfig.json', '--noEmit'] },
  { name: 'typecheck (browser test host)', cmd: 'npx', args: ['tsc', '-p', 'test/browser/host/tsconfig.json'] },
  { name: 'lint (eslint, layer rules, dead code)', cmd: 'npm', args: ['run', 'lint'] },
  { name: 'generated files up to date', cmd: 'npx', args: ['tsx', 'scripts/generate.ts', '--check'] },
  { name: 'build exporter', cmd: 'npm', args: ['run', 'build', '-w', 'exporter'] },
  { name: 'plugin typecheck', cmd: 'npm', args: ['run', 'typecheck', '-w', 'grafana-plugin'], when: hasPlugin },
  { name: 'plugin lint', cmd: 'npm', args: ['run', 'lint', '-w', 'grafana-plugin'], when: hasPlugin },
  { name: 'plugin build', cmd: 'npm', args: ['run', 'build', '-w', 'grafana-plugin'], when: hasPlugin },
  { name: 'plugin jest', cmd: 'npm', args: ['run', 'test:ci', '-w', 'grafana-plugin'], when: hasPlugin },
  { name: 'exporter jest', cmd: 'npx', args: ['jest', '--config', 'jest.config.js', '--ci'] },
  { name: 'browser (built plugin in headless Chromium)', cmd: 'npx', args: ['jest', '--config', 'test/browser/jest.config.js', '--ci'], when: hasPlugin },
];

function hasPlugin() {
  return existsSync(join(root, 'grafana-plugin', 'package.json'));
}

let passed = 0;
let failed = 0;
const results = [];
for (const step of steps) {
  if (only.length > 0 && !only.some((o) => step.name.includes(o))) continue;
  if (step.when && !step.when()) {
    results.push(`skipped  ${step.name} (not present)`);
    continue;
  }
  const t0 = Date.now();
  console.log(`\n=== ${step.name}: ${step.cmd} ${step.args.join(' ')}`);
  const r = spawnSync(step.cmd, step.args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status === 0) {
    passed++;
    results.push(`passed   ${step.name} (${secs}s)`);
  } else {
    failed++;
    results.push(`FAILED   ${step.name} (${secs}s, exit ${r.status ?? r.signal})`);
    break;
  }
}
console.log('\n=== summary');
for (const line of results) console.log(line);
console.log(`steps: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
