import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/** What Grafana requires of the app's plugin.json files, and what dist/ must contain. */
const root = join(__dirname, '..', '..', 'grafana-plugin');
const src = join(root, 'src');
const dist = join(root, 'dist');

interface PluginJson {
  type: string;
  id: string;
  name: string;
  info: { version: string; logos: { small: string; large: string }; author: { name: string }; description: string };
  dependencies: { grafanaDependency: string };
  includes?: Array<{ type: string; name: string; path: string }>;
  routes?: Array<{ path: string; method: string; reqRole: string; url: string; headers: Array<{ name: string; content: string }> }>;
}

const read = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as PluginJson;

describe('plugin.json', () => {
  const app = read(join(src, 'plugin.json'));

  it("is an app with an id matching Grafana's pattern and the required info", () => {
    expect(app.type).toBe('app');
    expect(app.id).toBe('procsight-analyzer-app');
    expect(app.id).toMatch(/^[0-9a-z]+-([0-9a-z]+-)?app$/);
    expect(app.info.version).toBeTruthy();
    expect(app.info.author.name).toBeTruthy();
    expect(app.info.description.length).toBeGreaterThan(20);
    expect(app.dependencies.grafanaDependency).toMatch(/^>=\d+\.\d+\.\d+$/);
    for (const logo of [app.info.logos.small, app.info.logos.large]) expect(existsSync(join(src, logo))).toBe(true);
  });

  it('declares its pages and the nested panel, whose paths exist', () => {
    const pages = (app.includes ?? []).filter((i) => i.type === 'page');
    expect(pages.map((p) => p.name)).toEqual(['Overview', 'Bottleneck explorer', 'Suggestions', 'Forecasts', 'Actions']);
    const panels = (app.includes ?? []).filter((i) => i.type === 'panel');
    expect(panels).toHaveLength(1);
    for (const p of panels) {
      const file = join(src, p.path);
      expect(existsSync(file)).toBe(true);
      const panel = read(file);
      expect(panel.type).toBe('panel');
      expect(panel.id).toMatch(/^[0-9a-z]+-([0-9a-z]+-)?panel$/);
      expect(panel.dependencies.grafanaDependency).toMatch(/^>=\d+/);
      expect(existsSync(join(dirname(file), panel.info.logos.small))).toBe(true);
      expect(existsSync(join(dirname(file), 'module.tsx')) || existsSync(join(dirname(file), 'module.ts'))).toBe(true);
    }
  });

  it("routes the exporter's API through Grafana: the URL and credentials from the app's settings, deciding on actions for Editors only", () => {
    const routes = app.routes ?? [];
    expect(routes.map((r) => `${r.method} ${r.path} ${r.reqRole}`)).toEqual([
      'POST exporter/api/v1/feedback Viewer',
      'GET exporter/api/v1/correlations Viewer',
      'GET exporter/api/v1/actions Viewer',
      'POST exporter/api/v1/actions/* Editor',
    ]);
    for (const r of routes) {
      expect(r.url).toMatch(/^\{\{ \.JsonData\.exporterUrl \}\}\/api\/v1\/(feedback|correlations|actions)$/);
      expect(r.headers).toEqual([{ name: 'Authorization', content: '{{ .SecureJsonData.exporterAuthorization }}' }]);
    }
    // Routes open to Viewers match one exact path each: no wildcard reaches the approve, reject or rollback endpoints through them.
    for (const r of routes.filter((x) => x.reqRole === 'Viewer')) expect(r.path).not.toContain('*');
  });

  it('builds into dist with module.js, plugin.json, the panel module, README, CHANGELOG, LICENSE and logos', () => {
    if (!existsSync(dist)) throw new Error('grafana-plugin/dist is missing: run `npm run build -w grafana-plugin` (npm test does)');
    for (const f of [
      'module.js',
      'plugin.json',
      'panels/suggestions/module.js',
      'panels/suggestions/plugin.json',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      'img/logo.svg',
      'panels/suggestions/img/logo.svg',
    ]) {
      expect(existsSync(join(dist, f))).toBe(true);
    }
    const built = read(join(dist, 'plugin.json'));
    expect(built.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(readFileSync(join(dist, 'module.js'), 'utf8')).toMatch(/^define\(\[/m);
  });

  it('ships no test fixtures: the only JSON files in dist are the plugin.json files', () => {
    if (!existsSync(dist)) throw new Error('grafana-plugin/dist is missing: run `npm run build -w grafana-plugin` (npm test does)');
    const files = (readdirSync(dist, { recursive: true }) as string[]).map((f) => f.split(sep).join('/'));
    expect(files.filter((f) => /(^|\/)(fixtures|__fixtures__|tests?)(\/|$)/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.json')).sort()).toEqual(['panels/suggestions/plugin.json', 'plugin.json']);
    for (const f of files.filter((x) => x.endsWith('.js'))) {
      expect(readFileSync(join(dist, f), 'utf8')).not.toContain('recordedAt');
    }
  });
});
