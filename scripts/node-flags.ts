import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How the exporter is launched, as `npm start` does it (the root
 * package.json's start script: `[NAME=value …] node <flags>
 * exporter/dist/main.js`): the environment set before Node (read by the C
 * library at start, too early for the exporter to set itself) and the Node
 * flags. The Dockerfile, the systemd unit, the stack and the benchmarks use the
 * same ones; test/deploy holds them to it.
 */
interface ExporterLaunch {
  env: Record<string, string>;
  flags: string[];
}

function exporterLaunch(root: string): ExporterLaunch {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const m = /^((?:[A-Z][A-Z0-9_]*=\S+ )*)node((?: --[\w.-]+(?:=\S+)?)*) exporter\/dist\/main\.js$/.exec(pkg.scripts.start);
  if (!m) throw new Error(`package.json's start script is not "[NAME=value …] node <flags> exporter/dist/main.js": ${pkg.scripts.start}`);
  const env = Object.fromEntries(
    m[1]
      .split(' ')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  return { env, flags: m[2].split(' ').filter(Boolean) };
}

export function exporterNodeFlags(root: string = join(__dirname, '..')): string[] {
  return exporterLaunch(root).flags;
}

/** The variables npm start sets before Node (MALLOC_ARENA_MAX). */
export function exporterLaunchEnv(root: string = join(__dirname, '..')): Record<string, string> {
  return exporterLaunch(root).env;
}
