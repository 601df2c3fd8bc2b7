/**
 * `npm run generate`: writes every generated file (scripts/generated.ts).
 * `npm run generate -- --check`: writes nothing, lists the files that differ
 * from what generate would write, and exits 1 when there are any.
 * `npm run generate -- [--grafana-url URL] [--job JOB] [--runbook-base URL] --out DIR`:
 * renders the alert rules for an installation (alert-rules/src/options.ts)
 * into DIR (procsight.rules.yml and the same as a PrometheusRule,
 * prometheusrule.yaml); the committed files keep the defaults.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { ruleOptions } from '../alert-rules/src/options';
import { renderPrometheusRule } from '../alert-rules/src/prometheus-rule';
import { renderRules } from '../alert-rules/src/render';
import { generatedFiles, ROOT } from './generated';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const { values: args } = (() => {
  try {
    return parseArgs({
      options: {
        check: { type: 'boolean' },
        'grafana-url': { type: 'string' },
        job: { type: 'string' },
        'runbook-base': { type: 'string' },
        out: { type: 'string' },
      },
      strict: true,
    });
  } catch (err) {
    return fail(`${(err as Error).message}\nusage: npm run generate -- [--check] | [--grafana-url URL] [--job JOB] [--runbook-base URL] --out DIR`);
  }
})();

/** An installation's rules, rendered into `out`. */
function renderForInstallation(out: string): void {
  let options;
  try {
    options = ruleOptions({ grafanaUrl: args['grafana-url'], job: args.job, runbookBase: args['runbook-base'] });
  } catch (err) {
    if (err instanceof ZodError) fail(err.issues.map((i) => i.message).join('\n'));
    throw err;
  }
  const rules = renderRules({ testSized: false, options });
  mkdirSync(out, { recursive: true });
  for (const [name, content] of [
    ['procsight.rules.yml', rules],
    ['prometheusrule.yaml', renderPrometheusRule(rules)],
  ]) {
    writeFileSync(join(out, name), content);
    console.log(`wrote ${join(out, name)}`);
  }
  console.log(`rules for Grafana ${options.grafanaUrl}, job "${options.job}", runbooks ${options.runbookBase}`);
}

function generate(check: boolean): void {
  const stale: string[] = [];
  for (const f of generatedFiles()) {
    const path = join(ROOT, f.path);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (current === f.content) continue;
    stale.push(f.path);
    if (check) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
    console.log(`wrote ${f.path}`);
  }
  if (check && stale.length > 0) {
    console.error(`generated files out of date (run npm run generate):\n${stale.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  if (stale.length === 0) console.log('generated files are up to date');
}

const ruleOptionGiven = args['grafana-url'] !== undefined || args.job !== undefined || args['runbook-base'] !== undefined;
if (args.out !== undefined) {
  if (args.check) fail('--check compares the committed files; it takes no --out');
  renderForInstallation(resolve(process.env.INIT_CWD ?? process.cwd(), args.out));
} else if (ruleOptionGiven) {
  fail('--grafana-url, --job and --runbook-base need --out DIR: the committed files keep the defaults (alert-rules/src/options.ts)');
} else {
  generate(args.check === true);
}
