/**
 * `npm run generate`: writes every generated file (scripts/generated.ts).
 * `npm run generate -- --check`: writes nothing, lists the files that differ
 * from what generate would write, and exits 1 when there are any.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedFiles, ROOT } from './generated';

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const f of generatedFiles()) {
  const path = join(ROOT, f.path);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (current === f.content) continue;
  stale.push(f.path);
  if (check) continue;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, f.content);
  console.log(`wrote ${f.path}`);
}
if (check && stale.length > 0) {
  console.error(`generated files out of date (run npm run generate):\n${stale.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
if (stale.length === 0) console.log('generated files are up to date');
