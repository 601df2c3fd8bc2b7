// Writes dist/build-info.json after `tsc -b` (npm run build -w exporter): the
// commit the build is made from and when, for `procsight --version` and
// procsight_build_info. The commit comes from PROCSIGHT_REVISION (the image
// build passes it as a build argument: its context has no .git), else from
// git; the date from SOURCE_DATE_EPOCH (reproducible builds), else the clock.
// Either is "unknown" rather than a guess.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function revision() {
  const fromEnv = (process.env.PROCSIGHT_REVISION ?? '').trim();
  if (fromEnv) return fromEnv;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || 'unknown';
  } catch (e) {
    process.stderr.write(`build-info: no git commit (${e.code ?? e.message}): revision "unknown"\n`);
    return 'unknown';
  }
}

function buildDate() {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  const d = Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : new Date();
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// The output directory: dist/ (tests pass another).
const out = process.argv[2] ?? join(root, 'dist');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'build-info.json'), `${JSON.stringify({ revision: revision(), buildDate: buildDate() })}\n`);
