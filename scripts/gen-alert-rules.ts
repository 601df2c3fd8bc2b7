// Regenerates alert-rules/procsight.rules.yml, the test-sized variant and docs/runbooks.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRules, renderRunbooks } from '../alert-rules/src/render';

const root = join(__dirname, '..');
mkdirSync(join(root, 'alert-rules', 'test-sized'), { recursive: true });
writeFileSync(join(root, 'alert-rules', 'procsight.rules.yml'), renderRules({ testSized: false }));
writeFileSync(join(root, 'alert-rules', 'test-sized', 'procsight.rules.yml'), renderRules({ testSized: true }));
writeFileSync(join(root, 'docs', 'runbooks.md'), renderRunbooks());
console.log('wrote alert-rules/procsight.rules.yml, alert-rules/test-sized/procsight.rules.yml, docs/runbooks.md');
import { renderTests } from '../alert-rules/src/tests';
writeFileSync(join(root, 'alert-rules', 'tests', 'procsight.test.yml'), renderTests('../procsight.rules.yml'));
console.log('wrote alert-rules/tests/procsight.test.yml');
import { PROMETHEUS_RULE_FILE, writePrometheusRule } from '../alert-rules/src/prometheus-rule';
writePrometheusRule(root);
console.log(`wrote ${PROMETHEUS_RULE_FILE}`);
