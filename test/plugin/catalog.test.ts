import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import Ajv from 'ajv';
import { requireBinary } from '../helpers/prometheus';

/**
 * What Grafana's plugin catalog asks of the app (grafana/plugin-validator's
 * checks): both plugin.json files valid against Grafana's plugin.json schema
 * (its constraints restated in plugin-json.schema.json), relative logo and
 * screenshot paths to files that exist, safe SVG logos of our own, a README
 * of our own with absolute links, the lowest Grafana version the bundled
 * Scenes supports, and a zip with one top-level folder named after the id.
 */
const root = join(__dirname, '..', '..');
const plugin = join(root, 'grafana-plugin');
const dist = join(plugin, 'dist');
const FILES = { app: 'plugin.json', panel: 'panels/suggestions/plugin.json' } as const;

interface PluginJson {
  id: string;
  type: string;
  info: { keywords: string[]; logos: { small: string; large: string }; screenshots?: Array<{ name: string; path: string }>; version: string };
  dependencies: { grafanaDependency: string };
}
const read = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as PluginJson;
const requireDist = () => {
  if (!existsSync(join(dist, 'plugin.json'))) throw new Error('grafana-plugin/dist is missing: run `npm run build -w grafana-plugin` (npm test does)');
};

const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(JSON.parse(readFileSync(join(__dirname, 'plugin-json.schema.json'), 'utf8')) as object);
const schemaErrors = (json: unknown): string[] =>
  validate(json) ? [] : (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message} ${JSON.stringify(e.params)}`);

describe("plugin.json against Grafana's plugin.json schema", () => {
  it.each(Object.entries(FILES))('%s: src/%s is valid', (_kind, file) => {
    expect(schemaErrors(read(join(plugin, 'src'), file))).toEqual([]);
  });

  it.each(Object.entries(FILES))('%s: dist/%s (version and date filled in, buildMode added) is valid', (_kind, file) => {
    requireDist();
    const built = read(dist, file);
    expect(built.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(schemaErrors(built)).toEqual([]);
  });

  it("the schema refuses what Grafana's refuses: no keywords (the nested panel's old plugin.json), an unknown property (of the plugin or of a route), a bad id or dependency", () => {
    const panel = read(join(plugin, 'src'), FILES.panel) as unknown as { info: Record<string, unknown> } & Record<string, unknown>;
    const withoutKeywords = { ...panel, info: { ...panel.info, keywords: undefined } };
    expect(schemaErrors(JSON.parse(JSON.stringify(withoutKeywords)))).toEqual([expect.stringMatching(/keywords/)]);
    expect(schemaErrors({ ...panel, info: { ...panel.info, keywords: [] } })).toEqual([expect.stringMatching(/fewer than 1 items/)]);
    expect(schemaErrors({ ...panel, colour: 'blue' })).toEqual([expect.stringMatching(/additional properties/)]);
    expect(schemaErrors({ ...panel, id: 'procsight_suggestions' })).toEqual([expect.stringMatching(/pattern/)]);
    expect(schemaErrors({ ...panel, dependencies: { grafanaDependency: 'latest' } })).toEqual([expect.stringMatching(/pattern/)]);
    expect(schemaErrors({ ...panel, routes: [{ path: 'x', url: 'http://127.0.0.1:1', cache: true }] })).toEqual([
      expect.stringMatching(/additional properties/),
    ]);
  });
});

describe('catalog metadata', () => {
  const app = read(join(plugin, 'src'), FILES.app);
  const panel = read(join(plugin, 'src'), FILES.panel);

  it('both plugins have keywords; the app lists its main pages as screenshots, the panel itself', () => {
    expect(app.info.keywords.length).toBeGreaterThanOrEqual(5);
    expect(panel.info.keywords.length).toBeGreaterThanOrEqual(3);
    expect(app.info.screenshots?.map((s) => s.path)).toEqual(
      ['overview', 'explorer', 'drilldown', 'suggestions', 'forecasts'].map((p) => `img/screenshots/${p}.png`),
    );
    expect(panel.info.screenshots?.map((s) => s.path)).toEqual(['img/screenshots/dashboard-panel.png']);
    for (const s of [...(app.info.screenshots ?? []), ...(panel.info.screenshots ?? [])]) expect(s.name.length).toBeGreaterThan(5);
  });

  it.each(Object.entries(FILES))(
    '%s: logo and screenshot paths are relative, do not start with . or /, and name files that exist: SVG logos, PNG screenshots of at least 1000×600',
    (_kind, file) => {
      const json = read(join(plugin, 'src'), file);
      const base = join(plugin, 'src', dirname(file));
      const paths = [json.info.logos.small, json.info.logos.large, ...(json.info.screenshots ?? []).map((s) => s.path)];
      for (const p of paths) {
        expect(p).not.toMatch(/^([./]|[a-z]+:)/);
        expect({ path: p, exists: existsSync(join(base, p)) }).toEqual({ path: p, exists: true });
      }
      for (const logo of [json.info.logos.small, json.info.logos.large]) expect(logo).toMatch(/\.svg$/);
      for (const s of json.info.screenshots ?? []) {
        const png = readFileSync(join(base, s.path));
        expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
        // IHDR: width and height, big-endian, at bytes 16 and 20.
        expect({ path: s.path, width: png.readUInt32BE(16) >= 1000, height: png.readUInt32BE(20) >= 600 }).toEqual({ path: s.path, width: true, height: true });
      }
    },
  );

  it.each(['src/img/logo.svg', 'src/panels/suggestions/img/logo.svg'])(
    "%s is procsight's own, safe SVG (no script, event handler, foreign object or external reference)",
    (file) => {
      const svg = readFileSync(join(plugin, file), 'utf8');
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 64 64"/);
      expect(svg).toMatch(/<title>procsight[^<]*<\/title>/);
      expect(svg).not.toMatch(/<script|<foreignObject|\son[a-z]+\s*=|(xlink:)?href\s*=|url\(|<image|<!ENTITY|<style/i);
      // Not the create-plugin scaffold's logo (its gradient and classes).
      expect(svg).not.toMatch(/linear-gradient|cls-\d/);
    },
  );
});

describe("README (what the catalog and Grafana's plugin page show)", () => {
  const readme = readFileSync(join(plugin, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/!?\[[^\]]*\]\(([^)\s]+)[^)]*\)/g)].map((m) => m[1]);

  it("is the app's own (not the scaffold's template), and the build ships it rather than a template under src/", () => {
    expect(readme).toMatch(/^# procsight app for Grafana\n/);
    expect(readme).not.toMatch(/Plugin Template|<!--|Uncomment and replace/);
    expect(existsSync(join(plugin, 'src', 'README.md'))).toBe(false);
    for (const section of ['## What it shows', '## Requirements', '## Installation', '## Configuration', '## Grafana version'])
      expect(readme).toContain(`\n${section}\n`);
  });

  it('links only to absolute https URLs or its own sections (relative links break in the catalog)', () => {
    expect(links.length).toBeGreaterThan(5);
    for (const l of links) expect(l).toMatch(/^(https:\/\/|#)/);
    const anchors = new Set(
      [...readme.matchAll(/^#+ (.+)$/gm)].map(
        (m) =>
          `#${m[1]
            .toLowerCase()
            .replace(/[^a-z0-9 -]/g, '')
            .replace(/ /g, '-')}`,
      ),
    );
    for (const l of links.filter((x) => x.startsWith('#'))) expect(anchors).toContain(l);
  });

  it("shows every screenshot of the app's plugin.json, from the repository file the browser test writes", () => {
    const app = read(join(plugin, 'src'), FILES.app);
    for (const s of app.info.screenshots ?? [])
      expect(links).toContain(`https://raw.githubusercontent.com/procsight/procsight/main/grafana-plugin/src/${s.path}`);
  });

  it('states the grafanaDependency the plugin.json files declare', () => {
    const dep = read(join(plugin, 'src'), FILES.app).dependencies.grafanaDependency;
    expect(readme).toContain(`\`grafanaDependency\` is \`${dep}\``);
    expect(readme).toContain(`**Grafana ${dep.replace('>=', '')} or newer**`);
  });
});

describe('grafanaDependency', () => {
  const floor = (range: string) => {
    const m = /^>=\s*(\d+)\.(\d+)(?:\.(\d+))?$/.exec(range.trim());
    if (!m) throw new Error(`not a >= range: ${range}`);
    return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  };

  it('is the same in both plugin.json files, and the floor the bundled Scenes declares for the Grafana packages it takes from Grafana', () => {
    const deps = Object.values(FILES).map((f) => read(join(plugin, 'src'), f).dependencies.grafanaDependency);
    expect(new Set(deps).size).toBe(1);
    // @grafana/data, ui and runtime are externals (provided by the Grafana that loads the plugin); Scenes is bundled.
    const externals = readFileSync(join(plugin, '.config', 'bundler', 'externals.ts'), 'utf8');
    for (const p of ['data', 'ui', 'runtime']) expect(externals).toContain(`/^@grafana\\/${p}/i`);
    expect(externals).not.toMatch(/scenes/);
    const scenes = JSON.parse(readFileSync(require.resolve('@grafana/scenes/package.json', { paths: [plugin] }), 'utf8')) as {
      version: string;
      peerDependencies: Record<string, string>;
    };
    const floors = ['data', 'ui', 'runtime'].map((p) => floor(scenes.peerDependencies[`@grafana/${p}`]));
    const highest = floors.sort((a, b) => b[0] - a[0] || b[1] - a[1] || b[2] - a[2])[0];
    expect(deps[0]).toBe(`>=${highest.join('.')}`);
  });
});

describe('npm run package -w grafana-plugin: the zip the catalog expects', () => {
  let out: string;
  let zipFile: string;
  const app = () => read(dist, FILES.app);

  beforeAll(() => {
    requireBinary('unzip');
    requireDist();
    out = mkdtempSync(join(tmpdir(), 'procsight-package-'));
    execFileSync('npx', ['tsx', join(plugin, 'scripts', 'package.ts'), '--out', out], { cwd: root, stdio: 'pipe' });
    zipFile = join(out, `${app().id}-${app().info.version}.zip`);
  }, 60_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("is named <id>-<version>.zip, passes unzip's integrity test and comes with its checksums", () => {
    expect(existsSync(zipFile)).toBe(true);
    expect(execFileSync('unzip', ['-tq', zipFile], { encoding: 'utf8' })).toMatch(/No errors detected/);
    const bytes = readFileSync(zipFile);
    expect(readFileSync(`${zipFile}.sha1`, 'utf8').split(' ')[0]).toBe(createHash('sha1').update(bytes).digest('hex'));
    expect(readFileSync(`${zipFile}.md5`, 'utf8').split(' ')[0]).toBe(createHash('md5').update(bytes).digest('hex'));
  });

  it("holds one top-level folder named after the plugin id with exactly dist/'s files, byte for byte, and no MANIFEST.txt (unsigned)", () => {
    const names = execFileSync('unzip', ['-Z1', zipFile], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const top = new Set(names.map((n) => n.split('/')[0]));
    expect([...top]).toEqual([app().id]);
    const files = names.filter((n) => !n.endsWith('/')).map((n) => n.slice(app().id.length + 1));
    const distFiles = (readdirSync(dist, { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; parentPath: string; name: string }>)
      .filter((d) => d.isFile())
      .map((d) =>
        join(d.parentPath, d.name)
          .slice(dist.length + 1)
          .split(sep)
          .join('/'),
      );
    expect(files.sort()).toEqual(distFiles.sort());
    expect(files).toEqual(
      expect.arrayContaining([
        'plugin.json',
        'module.js',
        'README.md',
        'CHANGELOG.md',
        'LICENSE',
        'img/logo.svg',
        'panels/suggestions/plugin.json',
        'panels/suggestions/module.js',
        'panels/suggestions/img/logo.svg',
      ]),
    );
    for (const s of app().info.screenshots ?? []) expect(files).toContain(s.path);
    expect(files).not.toContain('MANIFEST.txt');
    const extracted = join(out, 'x');
    execFileSync('unzip', ['-q', zipFile, '-d', extracted]);
    for (const f of distFiles) expect({ f, same: readFileSync(join(extracted, app().id, f)).equals(readFileSync(join(dist, f))) }).toEqual({ f, same: true });
  });
});
