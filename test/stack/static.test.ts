import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DASHBOARDS, type Dashboard } from '../../dashboards/src/dashboards';
import { requireBinary } from '../helpers/prometheus';

const root = join(__dirname, '..', '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

interface Compose {
  services: Record<
    string,
    { image?: string; build?: { context: string; dockerfile: string }; volumes?: string[]; healthcheck?: unknown; pid?: string; command?: string[] }
  >;
  secrets?: Record<string, { file: string }>;
}

describe('docker-compose.yml (validated without a Docker engine)', () => {
  const compose = parse(read('docker-compose.yml')) as Compose;
  /** What a fresh clone has under secrets/ (files in the working tree but not in git, like real secrets, do not count). */
  const committedSecrets = execFileSync('git', ['ls-files', 'secrets'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);

  it('passes docker-compose config (Debian docker-compose)', () => {
    requireBinary('docker-compose');
    execFileSync('docker-compose', ['-f', join(root, 'docker-compose.yml'), 'config', '-q'], { cwd: root, stdio: 'pipe' });
  });

  it('passes docker-compose config on a fresh clone: no secret files, GRAFANA_ADMIN_PASSWORD unset (documented default admin)', () => {
    requireBinary('docker-compose');
    // A fresh clone: every top-level entry of the repository except secrets/, which holds only its committed files.
    const clone = mkdtempSync(join(tmpdir(), 'procsight-clone-'));
    try {
      for (const e of readdirSync(root)) if (e !== 'secrets' && e !== '.git') symlinkSync(join(root, e), join(clone, e));
      mkdirSync(join(clone, 'secrets'));
      for (const f of committedSecrets) symlinkSync(join(root, f), join(clone, f));
      const env = { ...process.env };
      delete env.GRAFANA_ADMIN_PASSWORD;
      execFileSync('docker-compose', ['-f', join(clone, 'docker-compose.yml'), 'config', '-q'], { cwd: clone, env, stdio: 'pipe' });
      const resolved = parse(execFileSync('docker-compose', ['-f', join(clone, 'docker-compose.yml'), 'config'], { cwd: clone, env, encoding: 'utf8' })) as {
        services: Record<string, { environment?: Record<string, string> }>;
      };
      expect(resolved.services.grafana.environment?.GF_SECURITY_ADMIN_PASSWORD).toBe('admin');
      expect(read('docker-compose.yml')).toMatch(/password \$GRAFANA_ADMIN_PASSWORD \(default\s+#?\s*admin/);
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('uses only top-level secret files that are committed or documented as user-provided in secrets/README.md', () => {
    const readme = read('secrets/README.md');
    for (const [name, s] of Object.entries(compose.secrets ?? {})) {
      const path = s.file.replace(/^\.\//, '');
      const ok = committedSecrets.includes(path) || (path.startsWith('secrets/') && readme.includes(`\`${path.slice('secrets/'.length)}\``));
      expect({ secret: name, file: s.file, committedOrDocumented: ok }).toEqual({ secret: name, file: s.file, committedOrDocumented: true });
    }
    // The same for the files Alertmanager reads from the mounted ./secrets directory.
    for (const m of read('alert-rules/alertmanager.yml').matchAll(/\/etc\/alertmanager\/secrets\/([\w.-]+)/g)) expect(readme).toContain(`\`${m[1]}\``);
  });

  it('runs the five services (Mailpit catches the alert emails) with pinned images and health checks', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['alertmanager', 'grafana', 'mailpit', 'procsight', 'prometheus']);
    for (const [name, s] of Object.entries(compose.services)) {
      expect(s.healthcheck).toBeDefined();
      if (s.image) expect(s.image).toMatch(/:[vV]?\d+\.\d+\.\d+$/);
      if (name === 'grafana') expect(s.image).toBe('grafana/grafana:13.1.0');
    }
    const p = compose.services.procsight;
    expect(p.pid).toBe('host');
    expect(p.volumes).toContain('/proc:/host/proc:ro');
    expect(p.command).toContain('--path.procfs=/host/proc');
  });

  it('mounts only files and directories that exist in the repository (the plugin after its build)', () => {
    for (const s of Object.values(compose.services)) {
      for (const v of s.volumes ?? []) {
        const host = v.split(':')[0];
        if (!host.startsWith('./')) continue; // named volumes and host paths like /proc
        expect({ mount: host, exists: existsSync(join(root, host)) }).toEqual({ mount: host, exists: true });
      }
      if (s.build) expect(existsSync(join(root, s.build.context, s.build.dockerfile))).toBe(true);
    }
    expect(existsSync(join(root, 'grafana-plugin', 'dist', 'module.js'))).toBe(true);
  });

  it("sends every Alertmanager receiver somewhere that exists: email to the stack's Mailpit, Slack and PagerDuty to their services, no webhook without a receiver", () => {
    const am = parse(read('alert-rules/alertmanager.yml')) as {
      global: { smtp_smarthost: string; slack_api_url_file: string };
      receivers: Array<{
        name: string;
        email_configs?: unknown[];
        slack_configs?: unknown[];
        pagerduty_configs?: Array<{ url: string }>;
        webhook_configs?: unknown[];
      }>;
    };
    const [host, port] = am.global.smtp_smarthost.split(':');
    // Mailpit's SMTP port is 1025 by default (its web UI, published, is 8025).
    expect(compose.services[host]?.image).toMatch(/^axllent\/mailpit:/);
    expect(port).toBe('1025');
    expect(am.global.slack_api_url_file).toMatch(/^\/etc\/alertmanager\/secrets\//);
    for (const r of am.receivers) {
      expect({ receiver: r.name, webhooks: r.webhook_configs ?? [] }).toEqual({ receiver: r.name, webhooks: [] });
      for (const pd of r.pagerduty_configs ?? []) expect(pd.url).toBe('https://events.pagerduty.com/v2/enqueue');
    }
    expect(am.receivers.some((r) => (r.email_configs ?? []).length > 0)).toBe(true);
  });

  it('builds the exporter image in two stages and does not run as root by default', () => {
    const df = read('exporter/Dockerfile');
    expect(df.match(/^FROM /gm)).toHaveLength(2);
    expect(df).toMatch(/^USER node$/m);
    expect(df).toMatch(/HEALTHCHECK/);
  });
});

describe('Grafana provisioning and dashboards', () => {
  const ds = parse(read('provisioning/datasources/procsight.yml')) as { datasources: Array<{ uid: string; type: string; isDefault?: boolean }> };
  const apps = parse(read('provisioning/plugins/procsight.yml')) as { apps: Array<{ type: string; jsonData: { datasourceUid: string } }> };

  it('provisions Prometheus (fixed uid, default) and Alertmanager, and enables the app pointing at that Prometheus', () => {
    expect(ds.datasources.find((d) => d.type === 'prometheus')).toMatchObject({ uid: 'procsight-prometheus', isDefault: true });
    expect(ds.datasources.find((d) => d.type === 'alertmanager')?.uid).toBe('procsight-alertmanager');
    const pluginId = (JSON.parse(read('grafana-plugin/src/plugin.json')) as { id: string }).id;
    expect(apps.apps[0].type).toBe(pluginId);
    expect(apps.apps[0].jsonData.datasourceUid).toBe('procsight-prometheus');
  });

  it('has committed dashboards equal to their typed source (run `npm run generate`)', () => {
    for (const [file, make] of Object.entries(DASHBOARDS)) expect(JSON.parse(read(`dashboards/${file}`))).toEqual(JSON.parse(JSON.stringify(make())));
  });

  it.each(Object.keys(DASHBOARDS))('%s: stable uid, unique panel ids, known data sources and resolvable variables', (file) => {
    const d = JSON.parse(read(`dashboards/${file}`)) as Dashboard;
    expect(d.uid).toMatch(/^procsight-[a-z]+$/);
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const vars = (d.templating.list as Array<{ name: string }>).map((v) => v.name);
    expect(vars).toEqual(expect.arrayContaining(['datasource', 'instance']));
    for (const p of d.panels) {
      if (p.datasource) expect(p.datasource.uid === '${datasource}' || ds.datasources.some((x) => x.uid === p.datasource!.uid)).toBe(true);
      if (p.type === 'procsight-suggestions-panel') continue;
      expect(p.targets?.length).toBeGreaterThan(0);
      for (const t of p.targets ?? []) {
        for (const m of t.expr.matchAll(/\$([a-z_]+)/g)) {
          if (m[1].startsWith('_')) continue;
          expect(vars).toContain(m[1]);
        }
      }
    }
  });

  it('loads the dashboards from the path docker-compose mounts them at', () => {
    const prov = parse(read('provisioning/dashboards/procsight.yml')) as { providers: Array<{ options: { path: string } }> };
    expect(read('docker-compose.yml')).toContain(`./dashboards:${prov.providers[0].options.path}:ro`);
  });
});
