/**
 * What differs from one installation to the next in the generated rules: the
 * Grafana that drilldown links open, the scrape job the rules select and the
 * page runbook links point at. `npm run generate` renders the committed files
 * with the defaults; `npm run generate -- --grafana-url … --job … --runbook-base …
 * --out <dir>` renders a user's own (docs/alerting.md). docker-compose
 * (alert-rules/configure-rules.sh) and kustomize
 * (deploy/kubernetes/components/alert-links) replace the defaults' links in
 * the committed files instead of regenerating them, so the defaults' link
 * prefixes below are also what those two look for.
 */
import { z } from 'zod';

/**
 * An http(s) URL of the characters that keep it one plain YAML scalar and
 * literal text in a Prometheus template (alert-rules/configure-rules.sh checks the same).
 */
const linkBase = (what: string) =>
  z.string().regex(/^https?:\/\/[A-Za-z0-9._~:/?&=%+@-]+$/, `${what} must be an http(s) URL of letters, digits and ._~:/?&=%+@-`);
const withoutTrailingSlash = (s: string) => s.replace(/\/+$/, '');

export const RuleOptionsSchema = z.object({
  /** Grafana base URL (with its sub-path, if Grafana is served from one): drilldown links (`dashboard_url`). */
  grafanaUrl: linkBase('grafana-url')
    .refine((s) => !/[?&]/.test(s), 'grafana-url must not have a query string')
    .transform(withoutTrailingSlash),
  /** The job label procsight is scraped under: every rule selects `{job="<job>"}`. */
  job: z.string().regex(/^[A-Za-z0-9_.:/-]+$/, 'job must be letters, digits and _ . : / - (it goes inside a PromQL string)'),
  /** The runbooks page: `runbook_url` is `<runbook-base>#<alert name in lower case>`. */
  runbookBase: linkBase('runbook-base').transform(withoutTrailingSlash),
});

export type RuleOptions = z.output<typeof RuleOptionsSchema>;

/** What the committed files are rendered with. */
export const DEFAULT_RULE_OPTIONS: RuleOptions = {
  grafanaUrl: 'http://localhost:3000',
  job: 'procsight',
  runbookBase: 'https://github.com/procsight/procsight/blob/main/docs/runbooks.md',
};

/** The defaults overridden by what is given, validated (throws a ZodError naming the bad option). */
export function ruleOptions(given: Partial<Record<keyof RuleOptions, string>>): RuleOptions {
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  return RuleOptionsSchema.parse({ ...DEFAULT_RULE_OPTIONS, ...defined });
}

/** The app's path under a Grafana URL: what a drilldown link continues with. */
export const APP_PATH = '/a/procsight-analyzer-app/';
