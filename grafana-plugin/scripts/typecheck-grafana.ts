/**
 * Type-checks the app's sources against an older Grafana's packages: the
 * `@grafana/data`, `@grafana/ui`, `@grafana/runtime` and `@grafana/schema` a
 * Grafana of that version gives plugins at run time (the build only bundles
 * the rest). The evidence behind `grafanaDependency` (README, "Grafana
 * version"); it needs the npm registry, so it is not part of `npm test`.
 *
 *   npx tsx grafana-plugin/scripts/typecheck-grafana.ts 11.6.0
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGES = ['data', 'ui', 'runtime', 'schema'];
const plugin = join(__dirname, '..');

function main(version: string): number {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`usage: typecheck-grafana.ts <grafana version, e.g. 11.6.0>; got ${version}`);
  // Inside the repository, so that what those packages import (react, rxjs, …) resolves from its node_modules.
  const dir = join(plugin, `.typecheck-grafana-${version}`);
  rmSync(dir, { recursive: true, force: true });
  try {
    const modules = join(dir, 'node_modules', '@grafana');
    mkdirSync(modules, { recursive: true });
    execFileSync('npm', ['pack', '--silent', ...PACKAGES.map((p) => `@grafana/${p}@${version}`)], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    for (const p of PACKAGES) {
      const tarball = readdirSync(dir).find((f) => f === `grafana-${p}-${version}.tgz`);
      if (!tarball) throw new Error(`npm pack did not fetch @grafana/${p}@${version}`);
      mkdirSync(join(modules, p));
      execFileSync('tar', ['xzf', join(dir, tarball), '-C', join(modules, p), '--strip-components=1']);
    }
    const paths = Object.fromEntries(PACKAGES.map((p) => [`@grafana/${p}`, [join(modules, p)]]));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(plugin, 'tsconfig.json'),
        compilerOptions: { noEmit: true, skipLibCheck: true, baseUrl: plugin, rootDir: join(plugin, '..'), paths: { ...paths, '@procsight/contract': [join(plugin, '..', 'packages', 'contract', 'src', 'index.ts')] } },
        include: [join(plugin, 'src', '**', '*.ts'), join(plugin, 'src', '**', '*.tsx'), join(plugin, '.config', 'types', '*.d.ts')],
        exclude: [join(plugin, 'src', '**', '*.test.ts'), join(plugin, 'src', '**', '*.test.tsx')],
      }),
    );
    const files = execFileSync('npx', ['tsc', '-p', join(dir, 'tsconfig.json'), '--listFiles'], { cwd: plugin, encoding: 'utf8' });
    // Every @grafana/{data,ui,runtime,schema} the check read must be the downloaded one.
    const stray = files.split('\n').filter((f) => new RegExp(`/@grafana/(${PACKAGES.join('|')})/`).test(f) && !f.startsWith(dir));
    const read = PACKAGES.filter((p) => files.includes(join(modules, p)));
    console.log(`the app's sources type-check against @grafana/{${read.join(',')}} ${version}`);
    if (stray.length > 0) console.log(`(also read, through other packages: ${[...new Set(stray.map((f) => f.replace(/\/dist\/.*/, '')))].join(', ')})`);
    return 0;
  } catch (err) {
    const out = err as { stdout?: string; message: string };
    console.error(out.stdout ?? out.message);
    console.error(`the app's sources do not type-check against Grafana ${version}'s packages`);
    return 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exit(main(process.argv[2] ?? ''));
