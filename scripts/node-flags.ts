import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Node flags the exporter runs with, as `npm start` gives them (the root
 * package.json's start script: `node <flags> exporter/dist/main.js`). The
 * Dockerfile, the systemd unit, the stack and the benchmarks use the same ones;
 * test/deploy/node-flags.test.ts holds them to it.
 */
export function exporterNodeFlags(root: string = join(__dirname, '..')): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const m = /^node((?: --[\w.-]+(?:=\S+)?)*) exporter\/dist\/main\.js$/.exec(pkg.scripts.start);
  if (!m) throw new Error(`package.json's start script is not "node <flags> exporter/dist/main.js": ${pkg.scripts.start}`);
  return m[1].split(' ').filter(Boolean);
}
