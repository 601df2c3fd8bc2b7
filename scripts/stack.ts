/**
 * `npm run stack`: the exporter, prometheus and prometheus-alertmanager from
 * locally installed binaries with the repository's own configs, on loopback.
 * Prints the URLs; Ctrl-C stops all of it. The stack tests use startLocalStack().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startAlertmanager, startPrometheus, type RunningServer } from '../test/helpers/prometheus';

const root = join(__dirname, '..');

export interface LocalStack {
  exporterUrl: string;
  prometheusUrl: string;
  alertmanagerUrl: string;
  instance: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  scrapeInterval?: string;
  /** Extra exporter flags (e.g. a test-sized --config.file). */
  exporterArgs?: string[];
  /** Rule file to load (default: the production rules). */
  rulesFile?: string;
  log?: (line: string) => void;
}

/** The repository's Alertmanager config with secrets and templates resolved to local files. */
function alertmanagerConfig(secretsDir: string): { config: string; files: Record<string, string> } {
  const files: Record<string, string> = {};
  for (const f of ['slack_webhook_url', 'pagerduty_routing_key', 'webhook_token']) {
    const p = join(secretsDir, f);
    // Placeholders point at nothing routable on purpose: real values go in secrets/ (secrets/README.md).
    files[f] = existsSync(p) ? readFileSync(p, 'utf8').trim() : f === 'slack_webhook_url' ? 'http://127.0.0.1:9/slack-placeholder' : 'placeholder';
  }
  const config = readFileSync(join(root, 'alert-rules', 'alertmanager.yml'), 'utf8')
    .replace(/\/etc\/alertmanager\/secrets\//g, '')
    .replace('/etc/alertmanager/templates/', `${join(root, 'alert-rules', 'templates')}/`);
  return { config, files };
}

export async function startLocalStack(opts: StackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? (() => undefined);
  const main = join(root, 'exporter', 'dist', 'main.js');
  if (!existsSync(main)) throw new Error('build the exporter first: npm run build -w exporter');
  const exporterPort = await freePort();
  const exporter: ChildProcess = spawn(process.execPath, ['--max-semi-space-size=1', main, `--web.listen-address=127.0.0.1:${exporterPort}`, ...(opts.exporterArgs ?? [])], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let exporterOutput = '';
  exporter.stderr?.on('data', (d: Buffer) => {
    exporterOutput += d.toString();
    log(`[procsight] ${d.toString().trim()}`);
  });
  // Fail loudly when the exporter does not come up (bad flags or config exit with code 2).
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exporter.exitCode !== null) throw new Error(`procsight exited with ${exporter.exitCode}: ${exporterOutput.slice(-2000)}`);
    const ok = await fetch(`http://127.0.0.1:${exporterPort}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`procsight did not become ready: ${exporterOutput.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const am = alertmanagerConfig(join(root, 'secrets'));
  let alertmanager: RunningServer | null = null;
  let prometheus: RunningServer | null = null;
  try {
    alertmanager = await startAlertmanager({ config: am.config, files: am.files });
    const instance = `127.0.0.1:${exporterPort}`;
    const promConfig = [
      'global:',
      `  scrape_interval: ${opts.scrapeInterval ?? '15s'}`,
      `  evaluation_interval: ${opts.scrapeInterval ?? '15s'}`,
      'rule_files:',
      `  - ${opts.rulesFile ?? join(root, 'alert-rules', 'procsight.rules.yml')}`,
      'alerting:',
      '  alertmanagers:',
      '    - static_configs:',
      `        - targets: ['${new URL(alertmanager.url).host}']`,
      'scrape_configs:',
      '  - job_name: procsight',
      '    static_configs:',
      `      - targets: ['${instance}']`,
      '',
    ].join('\n');
    prometheus = await startPrometheus({ config: promConfig });
    const stack: LocalStack = {
      exporterUrl: `http://${instance}`,
      prometheusUrl: prometheus.url,
      alertmanagerUrl: alertmanager.url,
      instance,
      async stop() {
        exporter.kill('SIGTERM');
        await Promise.all([prometheus?.stop(), alertmanager?.stop(), new Promise((r) => (exporter.exitCode !== null ? r(null) : exporter.once('exit', r)))]);
      },
    };
    return stack;
  } catch (e) {
    exporter.kill('SIGTERM');
    await prometheus?.stop();
    await alertmanager?.stop();
    throw e;
  }
}

if (require.main === module) {
  mkdirSync(join(root, 'secrets'), { recursive: true });
  startLocalStack({ log: (l) => process.stderr.write(`${l}\n`) }).then(
    (s) => {
      const lines = [
        'procsight local stack (loopback only):',
        `  exporter      ${s.exporterUrl}/  (metrics ${s.exporterUrl}/metrics)`,
        `  prometheus    ${s.prometheusUrl}/`,
        `  alertmanager  ${s.alertmanagerUrl}/`,
        'Grafana is not part of the local stack: point a Grafana 13.1 at the Prometheus above (see docker-compose.yml for the full stack).',
        'Ctrl-C stops everything.',
      ];
      process.stdout.write(lines.join('\n') + '\n');
      writeFileSync(join(root, 'secrets', '.stack-urls'), JSON.stringify(s, null, 2));
      const stop = () => {
        process.stdout.write('stopping…\n');
        s.stop().finally(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (e: unknown) => {
      process.stderr.write(`stack failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
