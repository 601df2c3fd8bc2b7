/**
 * Every generated file of the repository, rendered in memory from its
 * source: `npm run generate` writes them, `npm run generate -- --check`
 * (and test/docs/generated.test.ts) fails when a committed one drifts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRules, renderRunbooks } from '../alert-rules/src/render';
import { renderTests } from '../alert-rules/src/tests';
import { PROMETHEUS_RULE_FILE, renderPrometheusRule } from '../alert-rules/src/prometheus-rule';
import { DASHBOARD_CONFIGMAPS_FILE, renderDashboardConfigMaps } from '../alert-rules/src/dashboard-configmaps';
import { DASHBOARDS } from '../dashboards/src/dashboards';
import { renderConfigDoc } from '../exporter/src/config/docs';
import { renderMetricsDoc } from '../exporter/src/expose/metrics-doc';

export const ROOT = join(__dirname, '..');

/** The mark every generated file carries (in its own comment syntax; dashboards in their description). */
export const DO_NOT_EDIT = 'do not edit';

export interface GeneratedFile {
  /** Path from the repository root. */
  path: string;
  content: string;
}

export function generatedFiles(root: string = ROOT): GeneratedFile[] {
  const dashboards = Object.entries(DASHBOARDS).map(([name, make]) => ({ name, json: `${JSON.stringify(make(), null, 2)}\n` }));
  const rules = renderRules({ testSized: false });
  return [
    ...dashboards.map((d) => ({ path: `dashboards/${d.name}`, content: d.json })),
    { path: 'alert-rules/procsight.rules.yml', content: rules },
    { path: 'alert-rules/test-sized/procsight.rules.yml', content: renderRules({ testSized: true }) },
    { path: 'alert-rules/tests/procsight.test.yml', content: renderTests('../procsight.rules.yml') },
    { path: 'docs/runbooks.md', content: renderRunbooks() },
    { path: 'docs/config.md', content: renderConfigDoc(readFileSync(join(root, 'exporter', 'config.example.yml'), 'utf8')) },
    { path: 'docs/metrics.md', content: renderMetricsDoc() },
    { path: PROMETHEUS_RULE_FILE, content: renderPrometheusRule(rules) },
    { path: DASHBOARD_CONFIGMAPS_FILE, content: renderDashboardConfigMaps(dashboards) },
  ];
}
