import type { Command } from 'commander';

/** Collects a repeatable flag's values (`--instance a --instance b`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function addOutputOptions(cmd: Command): Command {
  return cmd.option('--json', 'print JSON for machines instead of text', false).option('--timeout <seconds>', 'seconds to wait for each HTTP answer', '30');
}

export function addPrometheusOptions(cmd: Command, opts: { required: boolean }): Command {
  return cmd
    .option(
      '--prometheus <url>',
      `Prometheus base URL, or PROCSIGHT_PROMETHEUS_URL (credentials in the URL work too: http://user:pass@host:9090)${opts.required ? '' : '; checks the fleet through Prometheus'}`,
    )
    .option(
      '--prometheus-user <user>',
      'basic-auth user for Prometheus (or PROCSIGHT_PROMETHEUS_USER; password from PROCSIGHT_PROMETHEUS_PASSWORD or --prometheus-password-file)',
    )
    .option('--prometheus-password-file <file>', 'file holding the basic-auth password for Prometheus')
    .option('--prometheus-bearer-token-file <file>', 'file holding a bearer token for Prometheus (or PROCSIGHT_PROMETHEUS_BEARER_TOKEN)')
    .option('--job <job>', 'job label procsight is scraped under', 'procsight')
    .option('--instance <instance>', 'only this instance label (repeatable)', collect, [] as string[]);
}
