import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { APP_PATH, DEFAULT_RULE_OPTIONS, ruleOptions, type RuleOptions } from '../../alert-rules/src/options';
import { renderPrometheusRule } from '../../alert-rules/src/prometheus-rule';
import { renderRules } from '../../alert-rules/src/render';
import { ALERTS, RECORDING_RULES } from '../../alert-rules/src/rules';
import { requireBinary } from '../helpers/prometheus';
import { requireKubectl } from '../deploy/manifests';

/**
 * The alert links and the job are configuration (alert-rules/src/options.ts):
 * rendered by `npm run generate -- … --out`, by docker-compose's
 * configure-rules.sh from the environment, and by the kustomize component
 * alert-links from one ConfigMap. All three must write what the generator writes.
 */
const root = join(__dirname, '..', '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  annotations?: Record<string, string>;
}
const rulesOf = (yaml: string): Rule[] => (parse(yaml) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);

const CUSTOM: RuleOptions = {
  grafanaUrl: 'https://grafana.example.com/grafana',
  job: 'node-procsight',
  runbookBase: 'https://wiki.example.com/ops/procsight?space=ops',
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'procsight-links-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rule options', () => {
  it('default to what the committed rules carry', () => {
    const rules = rulesOf(read('alert-rules/procsight.rules.yml'));
    for (const r of rules) expect(r.expr).not.toMatch(/job="(?!procsight")/);
    expect(
      rules.filter((r) => r.annotations?.dashboard_url).every((r) => r.annotations!.dashboard_url.startsWith(`${DEFAULT_RULE_OPTIONS.grafanaUrl}${APP_PATH}`)),
    ).toBe(true);
    expect(rules.filter((r) => r.alert).every((r) => r.annotations!.runbook_url.startsWith(`${DEFAULT_RULE_OPTIONS.runbookBase}#`))).toBe(true);
  });

  it('drop a trailing slash and refuse what would break the YAML or the templates', () => {
    expect(ruleOptions({ grafanaUrl: 'https://g.example.com/sub/' }).grafanaUrl).toBe('https://g.example.com/sub');
    expect(ruleOptions({}).job).toBe('procsight');
    expect(() => ruleOptions({ grafanaUrl: 'https://g.example.com/?orgId=1' })).toThrow(/query string/);
    expect(() => ruleOptions({ grafanaUrl: 'grafana.example.com' })).toThrow(/http\(s\) URL/);
    expect(() => ruleOptions({ runbookBase: 'https://wiki/{{ x }}' })).toThrow(/http\(s\) URL/);
    expect(() => ruleOptions({ job: 'a"b' })).toThrow(/job must be/);
  });
});

describe('npm run generate -- --grafana-url … --job … --runbook-base … --out DIR', () => {
  const generate = (args: string[]) => spawnSync('npx', ['tsx', 'scripts/generate.ts', ...args], { cwd: root, encoding: 'utf8' });

  it('writes the rules and the PrometheusRule for those values, which promtool accepts', () => {
    const out = join(dir, 'generated');
    const r = generate(['--grafana-url', `${CUSTOM.grafanaUrl}/`, '--job', CUSTOM.job, '--runbook-base', CUSTOM.runbookBase, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const rules = readFileSync(join(out, 'procsight.rules.yml'), 'utf8');
    expect(rules).toBe(renderRules({ testSized: false, options: CUSTOM }));
    expect(readFileSync(join(out, 'prometheusrule.yaml'), 'utf8')).toBe(renderPrometheusRule(rules));
    const parsed = rulesOf(rules);
    expect(parsed).toHaveLength(ALERTS.length + RECORDING_RULES.length);
    expect(parsed.length).toBeGreaterThanOrEqual(22);
    for (const rule of parsed) {
      // Every selector of procsight's own series names the job (recording rules over recording rules need none).
      for (const m of rule.expr.matchAll(/procsight_\w+\{([^}]*)\}/g)) expect(m[1]).toContain(`job="${CUSTOM.job}"`);
      if (!rule.alert) continue;
      expect(rule.annotations!.runbook_url).toBe(`${CUSTOM.runbookBase}#${rule.alert.toLowerCase()}`);
      if (rule.annotations!.dashboard_url) expect(rule.annotations!.dashboard_url.startsWith(`${CUSTOM.grafanaUrl}${APP_PATH}explorer/`)).toBe(true);
    }
    expect(rules).not.toContain(DEFAULT_RULE_OPTIONS.grafanaUrl);
    expect(rules).not.toContain('job="procsight"');
    requireBinary('promtool');
    expect(execFileSync('promtool', ['check', 'rules', join(out, 'procsight.rules.yml')], { encoding: 'utf8' })).toContain(
      `SUCCESS: ${ALERTS.length + RECORDING_RULES.length} rules found`,
    );
  }, 60_000);

  it('refuses options without --out (the committed files keep the defaults) and a bad URL, naming the problem', () => {
    const noOut = generate(['--job', 'x']);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toMatch(/need --out DIR/);
    const bad = generate(['--grafana-url', 'https://grafana example', '--out', join(dir, 'bad')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/grafana-url must be an http\(s\) URL/);
  }, 60_000);
});

describe('docker-compose: configure-rules.sh renders the links from the environment', () => {
  const script = join(root, 'alert-rules', 'configure-rules.sh');
  const run = (env: Record<string, string>, args: string[] = []) =>
    spawnSync('sh', [script, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PROCSIGHT_RULES_IN: join(root, 'alert-rules', 'procsight.rules.yml'), ...env },
    });

  it('writes the committed rules unchanged by default, and what the generator writes for other values', () => {
    const plain = join(dir, 'compose', 'default.yml');
    expect(run({ PROCSIGHT_RULES_OUT: plain }).status).toBe(0);
    expect(readFileSync(plain, 'utf8')).toBe(read('alert-rules/procsight.rules.yml'));
    const custom = join(dir, 'compose', 'custom.yml');
    const r = run({ PROCSIGHT_RULES_OUT: custom, PROCSIGHT_GRAFANA_URL: `${CUSTOM.grafanaUrl}//`, PROCSIGHT_RUNBOOK_BASE: CUSTOM.runbookBase });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`links to Grafana ${CUSTOM.grafanaUrl} and runbooks ${CUSTOM.runbookBase}`);
    // The job is the compose stack's scrape job, not configurable here.
    expect(readFileSync(custom, 'utf8')).toBe(renderRules({ testSized: false, options: { ...CUSTOM, job: DEFAULT_RULE_OPTIONS.job } }));
  });

  it('refuses a URL the generator refuses, and runs its arguments (Prometheus) after writing', () => {
    for (const [name, value] of [
      ['PROCSIGHT_GRAFANA_URL', 'https://grafana.example.com/?orgId=1'],
      ['PROCSIGHT_GRAFANA_URL', 'grafana.example.com'],
      ['PROCSIGHT_RUNBOOK_BASE', 'https://wiki.example.com/a b'],
      ['PROCSIGHT_RUNBOOK_BASE', 'https://wiki.example.com/"x"'],
    ]) {
      const r = run({ PROCSIGHT_RULES_OUT: join(dir, 'compose', 'refused.yml'), [name]: value });
      expect({ name, value, status: r.status }).toEqual({ name, value, status: 2 });
      expect(r.stderr).toContain(name);
    }
    const r = run({ PROCSIGHT_RULES_OUT: join(dir, 'compose', 'then.yml') }, ['echo', 'prometheus started']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('prometheus started');
  });

  it('is what the compose stack runs before Prometheus, on the mounted rules, into the file prometheus.yml loads; Grafana gets the same URL', () => {
    requireBinary('docker-compose');
    const env = { ...process.env, PROCSIGHT_GRAFANA_URL: 'https://grafana.example.com' };
    const compose = parse(execFileSync('docker-compose', ['-f', join(root, 'docker-compose.yml'), 'config'], { cwd: root, env, encoding: 'utf8' })) as {
      services: Record<string, { entrypoint?: string[]; environment?: Record<string, string>; volumes?: string[] }>;
    };
    const prom = compose.services.prometheus;
    const scriptText = read('alert-rules/configure-rules.sh');
    const inDefault = /PROCSIGHT_RULES_IN:-([^}]+)\}/.exec(scriptText)![1];
    const outDefault = /PROCSIGHT_RULES_OUT:-([^}]+)\}/.exec(scriptText)![1];
    // docker-compose 1.29 prints mounts as source:target[:mode].
    const mounted = (target: string) => prom.volumes?.map((v) => v.split(':')).find((v) => v[1] === target)?.[0];
    expect(prom.entrypoint?.slice(0, 2)).toEqual(['/bin/sh', expect.stringMatching(/configure-rules\.sh$/)]);
    expect(prom.entrypoint?.[2]).toBe('/bin/prometheus');
    expect(mounted(prom.entrypoint![1])).toBe(script);
    expect(mounted(inDefault)).toBe(join(root, 'alert-rules', 'procsight.rules.yml'));
    expect((parse(read('provisioning/prometheus/prometheus.yml')) as { rule_files: string[] }).rule_files).toContain(outDefault);
    expect(prom.environment?.PROCSIGHT_GRAFANA_URL).toBe('https://grafana.example.com');
    expect(prom.environment?.PROCSIGHT_RUNBOOK_BASE).toBe(DEFAULT_RULE_OPTIONS.runbookBase);
    expect(compose.services.grafana.environment?.GF_SERVER_ROOT_URL).toBe('https://grafana.example.com');
  });
});

describe('kustomize: the alert-links component sets the links from one ConfigMap', () => {
  const k8s = join(root, 'deploy', 'kubernetes');
  const prometheusRule = (yaml: string) =>
    parseAllDocuments(yaml)
      .map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: { groups: unknown[] } })
      .filter((o) => o.kind === 'PrometheusRule');

  beforeAll(() => requireKubectl());

  it("holds the generator's defaults in every alert-links.yaml, so an untouched one changes nothing", () => {
    for (const file of ['alert-links.yaml', 'overlays/kube-prometheus-stack/alert-links.yaml']) {
      const cm = parse(readFileSync(join(k8s, file), 'utf8')) as {
        metadata: { name: string; annotations: Record<string, string> };
        data: Record<string, string>;
      };
      expect(cm.metadata.name).toBe('procsight-alert-links');
      expect(cm.metadata.annotations['config.kubernetes.io/local-config']).toBe('true');
      expect(cm.data).toEqual({ 'grafana-url': DEFAULT_RULE_OPTIONS.grafanaUrl, 'runbook-base': DEFAULT_RULE_OPTIONS.runbookBase });
    }
    for (const k of ['kustomization.yaml', 'overlays/kube-prometheus-stack/kustomization.yaml']) {
      const kz = parse(readFileSync(join(k8s, k), 'utf8')) as { resources: string[]; components?: string[] };
      expect(kz.resources).toContain('alert-links.yaml');
      expect(kz.components?.some((c) => c.endsWith('components/alert-links'))).toBe(true);
    }
  });

  it("renders, in a user's overlay with their URLs, exactly the rules the generator writes for those URLs; the ConfigMap stays out of the output", () => {
    const overlay = join(dir, 'overlay');
    mkdirSync(overlay, { recursive: true });
    // kustomize takes no absolute paths: the overlay reaches the repository relatively.
    const rel = (p: string) => relative(overlay, join(k8s, p));
    writeFileSync(
      join(overlay, 'kustomization.yaml'),
      `resources:\n  - ${rel('base')}\n  - alert-links.yaml\ncomponents:\n  - ${rel('components/alert-links')}\n`,
    );
    writeFileSync(
      join(overlay, 'alert-links.yaml'),
      readFileSync(join(k8s, 'alert-links.yaml'), 'utf8')
        .replace(`grafana-url: ${DEFAULT_RULE_OPTIONS.grafanaUrl}`, `grafana-url: ${CUSTOM.grafanaUrl}`)
        .replace(`runbook-base: ${DEFAULT_RULE_OPTIONS.runbookBase}`, `runbook-base: ${CUSTOM.runbookBase}`),
    );
    const out = execFileSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' });
    expect(out).not.toContain('procsight-alert-links');
    const [pr] = prometheusRule(out);
    // The job is the ServiceMonitor's (it relabels to the default job), so only the links differ.
    const expected = parse(renderRules({ testSized: false, options: { ...CUSTOM, job: DEFAULT_RULE_OPTIONS.job } })) as { groups: unknown[] };
    expect(pr.spec.groups).toEqual(expected.groups);
  });
});
