/**
 * `npm run stack`: the exporter, prometheus and prometheus-alertmanager from
 * locally installed binaries with the repository's own configs, on loopback.
 * Prometheus keeps its data in tmp/stack/prometheus across runs and starts
 * first, so the exporter backfills its forecast history from it (as in
 * docker-compose). Prints the URLs; Ctrl-C stops all of it. The stack tests
 * use startLocalStack() without persistence.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startAlertmanager, startPrometheus, type RunningServer } from '../test/helpers/prometheus';
import { exporterLaunchEnv, exporterNodeFlags } from './node-flags';

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
  /**
   * Prometheus keeps its data here across runs, scrapes the exporter under a
   * stable instance label (STACK_INSTANCE), and is started first so the
   * exporter backfills its forecast history from it (`npm run stack`).
   */
  prometheusDataDir?: string;
}

/** Where `npm run stack` keeps Prometheus's data between runs (ignored by git). */
export const STACK_PROMETHEUS_DIR = join(root, 'tmp', 'stack', 'prometheus');

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

/** The exporter's `instance` label in a persistent stack: stable across runs, so the next run finds its history. */
export const STACK_INSTANCE = 'procsight-stack';

/** Starts the exporter binary and waits until it is ready (or fails with its output). */
async function startExporterProcess(port: number, args: readonly string[], log: (line: string) => void): Promise<ChildProcess> {
  const main = join(root, 'exporter', 'dist', 'main.js');
  if (!existsSync(main)) throw new Error('build the exporter first: npm run build -w exporter');
  const exporter: ChildProcess = spawn(process.execPath, [...exporterNodeFlags(), main, `--web.listen-address=127.0.0.1:${port}`, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...exporterLaunchEnv() },
  });
  let exporterOutput = '';
  exporter.stderr?.on('data', (d: Buffer) => {
    exporterOutput += d.toString();
    log(`[procsight] ${d.toString().trim()}`);
  });
  // Fail loudly when the exporter does not come up (bad flags or config exit with code 2).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exporter.exitCode !== null) throw new Error(`procsight exited with ${exporter.exitCode}: ${exporterOutput.slice(-2000)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return exporter;
    if (Date.now() > deadline) {
      exporter.kill('SIGTERM');
      throw new Error(`procsight did not become ready: ${exporterOutput.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function prometheusConfig(opts: { scrapeInterval: string; rulesFile: string; alertmanager: string; target: string; instance: string | null }): string {
  return [
    'global:',
    `  scrape_interval: ${opts.scrapeInterval}`,
    `  evaluation_interval: ${opts.scrapeInterval}`,
    'rule_files:',
    `  - ${opts.rulesFile}`,
    'alerting:',
    '  alertmanagers:',
    '    - static_configs:',
    `        - targets: ['${opts.alertmanager}']`,
    'scrape_configs:',
    '  - job_name: procsight',
    '    static_configs:',
    `      - targets: ['${opts.target}']`,
    // A persistent stack labels its exporter the same on every run (its port changes), so history is found again.
    ...(opts.instance ? ['    relabel_configs:', '      - target_label: instance', `        replacement: ${opts.instance}`] : []),
    '',
  ].join('\n');
}

export async function startLocalStack(opts: StackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? (() => undefined);
  const exporterPort = await freePort();
  const target = `127.0.0.1:${exporterPort}`;
  const persistent = opts.prometheusDataDir !== undefined;
  const instance = persistent ? STACK_INSTANCE : target;
  const am = alertmanagerConfig(join(root, 'secrets'));
  let alertmanager: RunningServer | null = null;
  let prometheus: RunningServer | null = null;
  let exporter: ChildProcess | null = null;
  const startPrometheusFor = async (): Promise<RunningServer> => {
    if (opts.prometheusDataDir) mkdirSync(opts.prometheusDataDir, { recursive: true });
    const config = prometheusConfig({
      scrapeInterval: opts.scrapeInterval ?? '15s',
      rulesFile: opts.rulesFile ?? join(root, 'alert-rules', 'procsight.rules.yml'),
      alertmanager: new URL(alertmanager!.url).host,
      target,
      instance: persistent ? STACK_INSTANCE : null,
    });
    return startPrometheus({ config, dataDir: opts.prometheusDataDir });
  };
  try {
    if (persistent) {
      // Prometheus first: the exporter backfills its forecast history from it at start, as in docker-compose.
      alertmanager = await startAlertmanager({ config: am.config, files: am.files });
      prometheus = await startPrometheusFor();
      exporter = await startExporterProcess(
        exporterPort,
        [`--history.prometheus-url=${prometheus.url}`, `--history.instance=${STACK_INSTANCE}`, ...(opts.exporterArgs ?? [])],
        log,
      );
    } else {
      exporter = await startExporterProcess(exporterPort, opts.exporterArgs ?? [], log);
      alertmanager = await startAlertmanager({ config: am.config, files: am.files });
      prometheus = await startPrometheusFor();
    }
    const running = { exporter, prometheus, alertmanager };
    const stack: LocalStack = {
      exporterUrl: `http://${target}`,
      prometheusUrl: prometheus.url,
      alertmanagerUrl: alertmanager.url,
      instance,
      async stop() {
        running.exporter.kill('SIGTERM');
        await Promise.all([
          running.prometheus.stop(),
          running.alertmanager.stop(),
          new Promise((r) => (running.exporter.exitCode !== null ? r(null) : running.exporter.once('exit', r))),
        ]);
      },
    };
    return stack;
  } catch (e) {
    exporter?.kill('SIGTERM');
    await prometheus?.stop();
    await alertmanager?.stop();
    throw e;
  }
}

if (require.main === module) {
  mkdirSync(join(root, 'secrets'), { recursive: true });
  // Prometheus keeps its data across runs, and each run's exporter backfills its forecast history from it.
  startLocalStack({ prometheusDataDir: STACK_PROMETHEUS_DIR, log: (l) => process.stderr.write(`${l}\n`) }).then(
    (s) => {
      const lines = [
        'procsight local stack (loopback only):',
        `  exporter      ${s.exporterUrl}/  (metrics ${s.exporterUrl}/metrics)`,
        `  prometheus    ${s.prometheusUrl}/  (data kept in ${STACK_PROMETHEUS_DIR}; the exporter backfilled its forecast history from it)`,
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
