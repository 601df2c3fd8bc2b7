import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * procsight's version, from exporter/package.json. Read at run time because
 * both src/ (tests) and dist/ (built) sit one level below that file.
 */
export const VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

/** What `--version` prints and `procsight_build_info` exports. */
export interface BuildInfo {
  version: string;
  /** Git commit the build was made from; 'unknown' when the build did not record one (sources run through tsx, a build outside a clone). */
  revision: string;
  /** ISO 8601 UTC time of the build; 'unknown' likewise. */
  buildDate: string;
  nodeVersion: string;
  /** `os/arch`, as Node names them (linux/x64). */
  platform: string;
}

/**
 * dist/build-info.json, written by `npm run build -w exporter`
 * (exporter/scripts/build-info.mjs: the commit from PROCSIGHT_REVISION or
 * git, the date from SOURCE_DATE_EPOCH or the clock). Absent beside the
 * TypeScript sources.
 */
function readBuildFile(dir: string): { revision?: unknown; buildDate?: unknown } {
  const file = join(dir, 'build-info.json');
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { revision?: unknown; buildDate?: unknown };
  } catch (e) {
    // A damaged file must not stop the exporter: the facts are informational.
    process.emitWarning(`procsight: ignoring ${file}: ${e instanceof Error ? e.message : String(e)}`);
    return {};
  }
}

const text = (v: unknown): string => (typeof v === 'string' && v.trim() !== '' ? v.trim() : 'unknown');

/** The running build's facts (dir: where build-info.json is looked for; tests pass their own). */
export function buildInfo(dir: string = __dirname): BuildInfo {
  const file = readBuildFile(dir);
  return {
    version: VERSION,
    revision: text(file.revision),
    buildDate: text(file.buildDate),
    nodeVersion: process.version,
    platform: `${process.platform}/${process.arch}`,
  };
}

/** `--version` output, in the Prometheus exporters' layout. */
export function versionText(b: BuildInfo): string {
  return [
    `procsight, version ${b.version} (revision: ${b.revision})`,
    `  build date:       ${b.buildDate}`,
    `  node version:     ${b.nodeVersion}`,
    `  platform:         ${b.platform}`,
  ].join('\n');
}
