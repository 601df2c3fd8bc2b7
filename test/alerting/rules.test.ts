import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ALERTS, RECORDING_RULES, runbookUrl } from '../../alert-rules/src/rules';
import { renderRules, renderRunbooks } from '../../alert-rules/src/render';
import { renderTests } from '../../alert-rules/src/tests';
import { requireBinary } from '../helpers/prometheus';
import { enableRemediation } from '../helpers/alertmanager-config';

const root = join(__dirname, '..', '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

describe('alert rules', () => {
  it('are the committed output of the typed source (run `npm run generate` after a change)', () => {
    expect(read('alert-rules/procsight.rules.yml')).toBe(renderRules({ testSized: false }));
    expect(read('alert-rules/test-sized/procsight.rules.yml')).toBe(renderRules({ testSized: true }));
    expect(read('alert-rules/tests/procsight.test.yml')).toBe(renderTests('../procsight.rules.yml'));
    expect(read('docs/runbooks.md')).toBe(renderRunbooks());
  });

  it('pass promtool check rules', () => {
    requireBinary('promtool');
    const out = execFileSync('promtool', ['check', 'rules', 'alert-rules/procsight.rules.yml', 'alert-rules/test-sized/procsight.rules.yml'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toMatch(/SUCCESS: 23 rules found[\s\S]*SUCCESS: 23 rules found/);
  });

  it('pass promtool test rules: every alert is quiet early and fires later with exactly its labels and annotations', () => {
    const r = spawnSync('promtool', ['test', 'rules', 'procsight.test.yml'], { cwd: join(root, 'alert-rules', 'tests'), encoding: 'utf8' });
    expect(r.stdout + r.stderr).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
    const tests = parse(read('alert-rules/tests/procsight.test.yml')) as {
      tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
    };
    const covered = new Set(tests.tests.flatMap((t) => t.alert_rule_test.filter((c) => c.exp_alerts.length > 0).map((c) => c.alertname)));
    const quiet = new Set(tests.tests.flatMap((t) => t.alert_rule_test.filter((c) => c.exp_alerts.length === 0).map((c) => c.alertname)));
    for (const a of ALERTS) {
      expect(covered.has(a.alert)).toBe(true);
      expect(quiet.has(a.alert)).toBe(true);
    }
  });

  it('follow the mixin style and link to a runbook section that exists', () => {
    const runbooks = read('docs/runbooks.md');
    const rules = parse(read('alert-rules/procsight.rules.yml')) as { groups: Array<{ rules: Array<Record<string, unknown>> }> };
    const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => 'alert' in r) as Array<{
      alert: string;
      for: string;
      labels: { severity: string };
      annotations: Record<string, string>;
    }>;
    expect(alerts).toHaveLength(ALERTS.length);
    for (const a of alerts) {
      expect(a.alert).toMatch(/^Procsight[A-Z][A-Za-z]+$/);
      expect(['critical', 'warning', 'info']).toContain(a.labels.severity);
      expect(a.for).toMatch(/^\d+[smh]$/);
      expect(a.annotations.summary).not.toMatch(/\{\{/);
      expect(a.annotations.description).toMatch(/\{\{ \$labels\./);
      expect(a.annotations.runbook_url).toBe(runbookUrl(a.alert));
      expect(runbooks).toContain(`\n## ${a.alert}\n`);
    }
    const recording = rules.groups.flatMap((g) => g.rules).filter((r) => 'record' in r) as Array<{ record: string }>;
    for (const r of recording) expect(r.record).toMatch(/^[a-z_]+:[a-z_]+:[a-z0-9_]+$/);
  });

  it('recording rules say who uses them, and claim a dashboard or app reader only when one queries them', () => {
    const files = (dir: string) =>
      (readdirSync(join(root, dir), { recursive: true }) as string[]).filter((f) => /\.(json|tsx?)$/.test(f)).map((f) => read(join(dir, f)));
    const readers = [...files('dashboards'), ...files('grafana-plugin/src')].join('\n');
    for (const r of RECORDING_RULES) {
      expect(r.why).toMatch(/fleet|federation/);
      if (!readers.includes(r.record))
        expect({ record: r.record, claimsAReader: /\b(reads?|uses?|quer(y|ies)) it\b|overview's/.test(r.why) }).toEqual({
          record: r.record,
          claimsAReader: false,
        });
    }
  });
});

describe('alertmanager.yml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-amtool-'));
  const config = join(dir, 'alertmanager.yml');
  beforeAll(() => {
    requireBinary('amtool');
    writeFileSync(config, read('alert-rules/alertmanager.yml').replace('/etc/alertmanager/templates/', `${join(root, 'alert-rules', 'templates')}/`));
  });

  it('passes amtool check-config with its templates', () => {
    const out = execFileSync('amtool', ['check-config', config], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS[\s\S]*3 receivers[\s\S]*1 templates/);
  });

  it.each([
    [['severity=critical', 'alertname=ProcsightFdExhaustion', 'group=api'], 'pagerduty-and-slack'],
    [['severity=warning', 'alertname=ProcsightMemoryLeak', 'group=api'], 'slack'],
    [['severity=info', 'alertname=ProcsightAnomalousGroup'], 'email'],
    [['alertname=SomethingElse'], 'slack'],
  ])('routes %j to %s', (labels, receiver) => {
    const out = execFileSync('amtool', ['config', 'routes', 'test', `--config.file=${config}`, ...labels], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(out.trim()).toBe(receiver);
  });

  it('reads every secret from a file, never inline', () => {
    const text = read('alert-rules/alertmanager.yml');
    expect(text).toMatch(/slack_api_url_file:/);
    expect(text).toMatch(/routing_key_file:/);
    expect(text).not.toMatch(/^\s*(api_url|routing_key|service_key|auth_password|slack_api_url):/m);
    expect(text).not.toMatch(/hooks\.slack\.com\/services\/T/);
  });
});

describe('alertmanager.yml: the remediation route (commented out by default)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-amtool-rem-'));
  const config = join(dir, 'alertmanager.yml');
  const shipped = read('alert-rules/alertmanager.yml');
  beforeAll(() => {
    requireBinary('amtool');
    writeFileSync(config, enableRemediation(shipped.replace('/etc/alertmanager/templates/', `${join(root, 'alert-rules', 'templates')}/`)));
  });
  const routes = (labels: string[]) =>
    execFileSync('amtool', ['config', 'routes', 'test', `--config.file=${config}`, ...labels], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();

  it('is off as shipped: no remediation receiver, route or extra inhibition is active', () => {
    const parsed = parse(shipped) as { receivers: Array<{ name: string }>; inhibit_rules: unknown[]; route: { routes: Array<{ receiver: string }> } };
    expect(parsed.receivers.map((r) => r.name)).not.toContain('procsight-remediation');
    expect(parsed.route.routes.map((r) => r.receiver)).not.toContain('procsight-remediation');
    expect(parsed.inhibit_rules).toHaveLength(2);
    expect(shipped).toMatch(/# - name: procsight-remediation/);
  });

  it('uncommented, passes amtool check-config with its receiver and the one-incident-one-action inhibitions', () => {
    const out = execFileSync('amtool', ['check-config', config], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS[\s\S]*4 inhibit rules[\s\S]*4 receivers/);
    const parsed = parse(readFileSync(config, 'utf8')) as {
      receivers: Array<{
        name: string;
        webhook_configs?: Array<{ url: string; send_resolved: boolean; http_config: { authorization: { type: string; credentials_file: string } } }>;
      }>;
    };
    const hook = parsed.receivers.find((r) => r.name === 'procsight-remediation')?.webhook_configs?.[0];
    expect(hook).toMatchObject({
      url: 'http://localhost:9556/api/v1/alertmanager',
      send_resolved: false,
      http_config: { authorization: { type: 'Bearer', credentials_file: '/etc/alertmanager/secrets/procsight_remediation_token' } },
    });
  });

  it.each([
    [['alertname=ProcsightCpuSaturation', 'kind=cpu_saturation', 'group=api', 'instance=localhost:9556', 'severity=warning'], 'procsight-remediation,slack'],
    [
      ['alertname=ProcsightFdExhaustion', 'kind=fd_exhaustion', 'group=api', 'instance=localhost:9556', 'severity=critical'],
      'procsight-remediation,pagerduty-and-slack',
    ],
    [['alertname=ProcsightCpuSaturation', 'kind=cpu_saturation', 'group=api', 'instance=other-host:9556', 'severity=warning'], 'slack'],
    [['alertname=ProcsightAnomalousGroup', 'group=api', 'instance=localhost:9556', 'severity=info'], 'email'],
    [['alertname=ProcsightExporterDown', 'instance=localhost:9556', 'severity=critical'], 'pagerduty-and-slack'],
  ])('routes %j to %s (bottleneck alerts of its exporter reach the webhook, people are still notified)', (labels, receivers) => {
    expect(routes(labels)).toBe(receivers);
  });
});
