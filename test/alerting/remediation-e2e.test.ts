import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '../../exporter/src/compose';
import { startFault, type FaultHandle } from '../faults/spawn';
import { scrape, sleep, startExporter } from '../helpers/exporter';
import { freePort, startAlertmanager, startPrometheus, type RunningServer } from '../helpers/prometheus';
import { enableRemediation } from '../helpers/alertmanager-config';
import { actions, until } from '../helpers/remediation';

/**
 * Remediation end to end on loopback: a real process leaks file descriptors
 * up to its limit, the exporter sees fd_exhaustion, a real Prometheus fires
 * ProcsightFdExhaustion (test-sized rules), a real Alertmanager with the
 * committed config and its remediation route, receiver and inhibitions
 * uncommented posts the notification to the exporter's webhook with the
 * bearer token from a file, and the exporter (auto mode, its own analysis
 * confirming the bottleneck) sends TERM to the process; the bottleneck then
 * clears, which counts as a resolved outcome of the catalog action the rule
 * carries out. Slack and PagerDuty go to a local sink.
 */
const root = join(__dirname, '..', '..');
const TOKEN = 'e2e-remediation-token-0123456789';
const GROUP = 'e2e-fdleak';

describe("remediation end to end (real Prometheus and Alertmanager → the exporter's webhook)", () => {
  let exporter: Service;
  let prom: RunningServer;
  let am: RunningServer;
  let sink: Server;
  let leak: FaultHandle | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'procsight-rem-e2e-'));
  let instance = '';

  beforeAll(async () => {
    sink = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(req.url?.startsWith('/pagerduty') ? 202 : 200).end('{}'));
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const sinkPort = (sink.address() as AddressInfo).port;
    const port = await freePort();
    instance = `127.0.0.1:${port}`;
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
    exporter = await startExporter({
      cli: { listenAddress: instance, storagePath: join(dir, 'state') },
      configYaml: `remediation:
  mode: auto
  webhook_token_file: ${dir}/token
  instance: '${instance}'
  rules:
    - {group: ${GROUP}, kind: fd_exhaustion, action: signal, grace_seconds: 2, suggestion: fd_exhaustion.find_leaked_fds}
`,
    });
    const amConfig = enableRemediation(readFileSync(join(root, 'alert-rules', 'alertmanager.yml'), 'utf8'), { instance, url: exporter.url })
      .replace(/\/etc\/alertmanager\/secrets\//g, '')
      .replace('/etc/alertmanager/templates/', `${join(root, 'alert-rules', 'templates')}/`)
      .replace('https://events.pagerduty.com/v2/enqueue', `http://127.0.0.1:${sinkPort}/pagerduty/v2/enqueue`)
      .replace(/group_wait: 30s/g, 'group_wait: 1s')
      .replace(/group_interval: 5m/g, 'group_interval: 2s');
    am = await startAlertmanager({
      config: amConfig,
      files: {
        slack_webhook_url: `http://127.0.0.1:${sinkPort}/slack`,
        pagerduty_routing_key: 'test-routing-key',
        webhook_token: 'token',
        procsight_remediation_token: `${TOKEN}\n`,
      },
    });
    prom = await startPrometheus({
      config: `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - ${join(root, 'alert-rules', 'test-sized', 'procsight.rules.yml')}\nalerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['${new URL(am.url).host}']\nscrape_configs:\n  - job_name: procsight\n    static_configs:\n      - targets: ['${instance}']\n`,
      args: ['--rules.alert.resend-delay=2s'],
    });
  }, 60_000);

  afterAll(async () => {
    await leak?.stop();
    await prom?.stop();
    await am?.stop();
    await exporter?.stop();
    await new Promise<void>((r) => sink?.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const context = () => `\nactions: ${JSON.stringify(exporterActions).slice(0, 2000)}\nalertmanager: ${am.output().slice(-1500)}`;
  let exporterActions: unknown = null;

  it('a firing ProcsightFdExhaustion reaches the webhook, the exporter sends TERM to the leaking process, and the cleared bottleneck counts as resolved', async () => {
    leak = await startFault('fd-leak', { name: GROUP, args: { 'per-sec': 40, target: 40 }, fdLimit: 64, maxSeconds: 300 });
    const pid = leak.pid;
    try {
      await until(
        'the action taken on the webhook',
        async () => {
          exporterActions = await actions(exporter.url);
          return (exporterActions as Array<{ group: string; status: string }>).some((a) => a.group === GROUP && a.status === 'done');
        },
        150_000,
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}${context()}`);
    }
    const done = (await actions(exporter.url)).filter((a) => a.group === GROUP);
    expect(done).toHaveLength(1); // one incident, one action
    const a = (await (await fetch(`${exporter.url}/api/v1/actions/${done[0].id}`)).json()) as {
      action: {
        status: string;
        decided_by: string;
        after: { exited_on_term: number[] };
        alert: { alertname: string; instance: string };
        history: Array<{ by: string }>;
      };
    };
    expect(a.action).toMatchObject({ status: 'done', decided_by: 'auto', alert: { alertname: 'ProcsightFdExhaustion', instance } });
    expect(a.action.after.exited_on_term).toEqual([pid]);
    expect(a.action.history[0].by).toBe('bearer token'); // Alertmanager authenticated with the token file
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect((await scrape(exporter.url)).get('procsight_remediation_actions_total{action="signal",status="done"}')).toBe(1);
    const audit = readFileSync(join(dir, 'state', 'remediation-audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string });
    expect(audit.map((e) => e.event)).toEqual(['executing', 'done']);
    // The rule carries out fd_exhaustion.find_leaked_fds: done counts as applied, and the bottleneck clears.
    await until(
      'the resolved outcome',
      async () =>
        (await scrape(exporter.url)).get(
          'procsight_suggestion_outcomes_total{kind="fd_exhaustion",action="fd_exhaustion.find_leaked_fds",outcome="resolved"}',
        ) === 1,
      60_000,
    );
    // Alertmanager keeps the incident in its group until it resolves: nothing re-sent may start a second action.
    await sleep(5000);
    expect((await actions(exporter.url)).filter((a2) => a2.group === GROUP && a2.status !== 'refused')).toHaveLength(1);
  }, 240_000);

  it('inhibition: with a leak and the memory pressure it makes firing for one group, only the leak reaches the webhook', async () => {
    const now = new Date().toISOString();
    const alert = (alertname: string, kind: string) => ({
      labels: { alertname, kind, group: 'inh-group', instance, job: 'procsight', severity: 'warning' },
      annotations: { summary: 'x' },
      startsAt: now,
    });
    const r = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([alert('ProcsightMemoryLeak', 'memory_leak'), alert('ProcsightMemoryPressure', 'memory_pressure')]),
    });
    expect(r.ok).toBe(true);
    await until('the notification', async () => (await actions(exporter.url)).some((a) => a.group === 'inh-group'), 30_000);
    await sleep(4000); // a second group_interval: the pressure alert would be sent by now if it were not inhibited
    const mine = (await actions(exporter.url)).filter((a) => a.group === 'inh-group');
    expect(mine.map((a) => [a.status, a.reason])).toEqual([['refused', 'no rule allows acting on group inh-group for memory_leak']]);
  }, 60_000);
});
