/**
 * `npm run package -w grafana-plugin` (after `npm run build`): zips dist/ the
 * way Grafana's plugin catalog and `grafana cli --pluginUrl` take a plugin:
 * one top-level folder named after the plugin id holding dist/'s files
 * (plugin.json with its version filled in, module.js, the nested panel,
 * README, CHANGELOG, LICENSE, logos, screenshots, source maps). Writes
 * `<id>-<version>.zip` and its `.sha1` and `.md5` (the catalog asks for a
 * checksum) into artifacts/. Unsigned: no MANIFEST.txt.
 *
 *   npx tsx grafana-plugin/scripts/package.ts [--dist DIR] [--out DIR]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { zip, type ZipEntry } from './zip';

const plugin = join(__dirname, '..');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) => (d.isDirectory() ? [`${join(dir, d.name)}${sep}`, ...walk(join(dir, d.name))] : [join(dir, d.name)]));
}

function main(): void {
  const { values } = parseArgs({ options: { dist: { type: 'string' }, out: { type: 'string' } } });
  const dist = values.dist ?? join(plugin, 'dist');
  const out = values.out ?? join(plugin, 'artifacts');
  if (!existsSync(join(dist, 'plugin.json'))) {
    throw new Error(`${dist}/plugin.json is missing: build first (npm run build -w grafana-plugin)`);
  }
  const meta = JSON.parse(readFileSync(join(dist, 'plugin.json'), 'utf8')) as { id: string; info: { version: string } };
  if (!/^\d+\.\d+\.\d+/.test(meta.info.version)) {
    throw new Error(`dist/plugin.json has version "${meta.info.version}": not a built plugin.json`);
  }
  if (existsSync(join(dist, 'MANIFEST.txt'))) {
    console.warn('dist/MANIFEST.txt is packaged as is: a signature is only valid for exactly these files');
  }
  const entries: ZipEntry[] = [{ name: `${meta.id}/`, data: Buffer.alloc(0), mtime: statSync(dist).mtime }];
  for (const path of walk(dist)) {
    const name = `${meta.id}/${relative(dist, path).split(sep).join('/')}${path.endsWith(sep) ? '/' : ''}`;
    const stat = statSync(path);
    entries.push({ name, data: stat.isDirectory() ? Buffer.alloc(0) : readFileSync(path), mtime: stat.mtime, mode: stat.mode & 0o777 });
  }
  const archive = zip(entries);
  mkdirSync(out, { recursive: true });
  const file = join(out, `${meta.id}-${meta.info.version}.zip`);
  writeFileSync(file, archive);
  const sums: Array<[string, string]> = [
    ['sha1', createHash('sha1').update(archive).digest('hex')],
    ['md5', createHash('md5').update(archive).digest('hex')],
  ];
  for (const [algorithm, sum] of sums) {
    writeFileSync(`${file}.${algorithm}`, `${sum}  ${meta.id}-${meta.info.version}.zip\n`);
  }
  console.log(`${file}: ${entries.filter((e) => !e.name.endsWith('/')).length} files, ${archive.length} bytes, sha1 ${sums[0][1]}`);
}

main();
