import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFault, type FaultHandle } from '../faults/spawn';
import { sleep, startExporter } from '../helpers/exporter';
import { startAlertmanager, startPrometheus, type RunningServer } from '../helpers/prometheus';
import type { Service } from '../../exporter/src/compose';
import { CATALOG } from '@procsight/contract';

/**
 * End to end on loopback: the exporter, a real Prometheus (1 s scrapes, the
 * test-sized rules), a real Alertmanager (the committed config, with the
 * secret files pointing at a local stand-in for Slack's incoming webhook and
 * PagerDuty's Events API v2). A real leaking process must reach the pager,
 * and its resolve must follow once it is stopped.
 */
const root = join(__dirname, '..', '..');

interface Received {
  path: string;
  body: Record<string, unknown>;
}

describe('alerting end to end (real Prometheus and Alertmanager, stand-in Slack and PagerDuty)', () => {
  let exporter: Service;
  let prom: RunningServer;
  let am: RunningServer;
  let standIn: Server;
  let leak: FaultHandle;
  const received: Received[] = [];

  beforeAll(async () => {
    standIn = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        try {
          received.push({ path: req.url ?? '', body: JSON.parse(data) as Record<string, unknown> });
        } catch {
          received.push({ path: req.url ?? '', body: { unparsable: data } });
        }
        res.writeHead(req.url?.startsWith('/pagerduty') ? 202 : 200, { 'content-type': 'application/json' });
        res.end(req.url?.startsWith('/pagerduty') ? '{"status":"success","message":"Event processed","dedup_key":"x"}' : 'ok');
      });
    });
    await new Promise<void>((r) => standIn.listen(0, '127.0.0.1', r));
    const port = (standIn.address() as AddressInfo).port;

    exporter = await startExporter({
      configYaml: 'bottlenecks:\n  memory_leak_evidence_seconds: 45\n  memory_leak_min_seconds: 45\n  memory_leak_min_bytes_per_second: 262144\n',
    });
    const amConfig = readFileSync(join(root, 'alert-rules', 'alertmanager.yml'), 'utf8')
      .replace(/\/etc\/alertmanager\/secrets\//g, '')
      .replace('/etc/alertmanager/templates/', `${join(root, 'alert-rules', 'templates')}/`)
      .replace('https://events.pagerduty.com/v2/enqueue', `http://127.0.0.1:${port}/pagerduty/v2/enqueue`)
      .replace(/group_wait: 30s/, 'group_wait: 1s')
      .replace(/group_interval: 5m/, 'group_interval: 2s')
      // Test only: warnings also page, so one leak exercises both Slack and PagerDuty.
      .replace(/(matchers: \['severity="warning"'\]\n\s+receiver:) slack/, '$1 pagerduty-and-slack');
    am = await startAlertmanager({
      config: amConfig,
      files: {
        slack_webhook_url: `http://127.0.0.1:${port}/slack/T000/B000/XXX`,
        pagerduty_routing_key: 'test-routing-key-0123456789abcdef',
        webhook_token: 'token',
      },
    });
    // Secret paths are relative to the Alertmanager working directory (its temp dir).
    const exporterPort = new URL(exporter.url).port;
    prom = await startPrometheus({
      config: `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - ${join(root, 'alert-rules', 'test-sized', 'procsight.rules.yml')}\nalerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['${new URL(am.url).host}']\nscrape_configs:\n  - job_name: procsight\n    static_configs:\n      - targets: ['127.0.0.1:${exporterPort}']\n`,
      args: ['--rules.alert.resend-delay=2s'],
    });
  }, 60_000);

  afterAll(async () => {
    await leak?.stop();
    await prom?.stop();
    await am?.stop();
    await exporter?.stop();
    await new Promise<void>((r) => standIn?.close(() => r()));
  });

  const waitFor = async (what: string, pred: () => boolean, timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; received: ${JSON.stringify(received).slice(0, 3000)}\nprometheus: ${prom.output().slice(-1500)}\nalertmanager: ${am.output().slice(-1500)}`,
        );
      await sleep(1000);
    }
  };

  it('pages for a real memory leak with group, bottleneck, its evidence and top suggestion, then resolves', async () => {
    leak = await startFault('leaker', { name: 'leaky-cache', args: { 'mb-per-min': 60 } });
    // Only this group's messages: other processes on the machine (Jest's own node workers) may
    // leak for real while the test runs, and Alertmanager sends one message per group.
    const slackFiring = (r: Received) =>
      r.path.startsWith('/slack') && JSON.stringify(r.body).includes('ProcsightMemoryLeak · leaky-cache on') && JSON.stringify(r.body).includes('FIRING');
    const pdTrigger = (r: Received) => r.path.startsWith('/pagerduty') && r.body.event_action === 'trigger' && JSON.stringify(r.body).includes('leaky-cache');
    await waitFor('Slack and PagerDuty notifications', () => received.some(slackFiring) && received.some(pdTrigger), 150_000);

    const slack = received.find(slackFiring)!.body as { attachments: Array<{ title: string; text: string; title_link: string }> };
    const att = slack.attachments[0];
    expect(att.title).toMatch(/^\[FIRING:1\] ProcsightMemoryLeak · leaky-cache on 127\.0\.0\.1:\d+$/);
    expect(att.text).toContain('bottleneck memory_leak');
    expect(att.text).toMatch(/leaky-cache on 127\.0\.0\.1:\d+: memory_leak with severity \d+(\.\d+)?%/);
    // The top suggestion by its catalog title and first step, not its id.
    const heapDump = CATALOG.kinds.memory_leak.find((a) => a.id === 'memory_leak.heap_dump')!;
    expect(att.text).toContain(`Top suggestion: ${heapDump.title}.`);
    expect(att.text).toContain(`\nFirst step: ${heapDump.steps[0]}\n`);
    expect(att.text).not.toContain(heapDump.id);
    // The evidence the exporter exported when Prometheus evaluated the rule: the RSS slope in
    // IEC bytes/s against the configured 262144 B/s threshold, and the projected time to exhaustion.
    const slope = /\nEvidence: (?:[^\n]*; )?rss_slope_bytes_per_second=(\d+(?:\.\d+)?)(ki|Mi|Gi)?B\/s \(threshold 256kiB\/s(?:, usually [^)]+)?\)/.exec(
      att.text,
    );
    expect(slope).not.toBeNull();
    const bytesPerSecond = Number(slope![1]) * 1024 ** ['', 'ki', 'Mi', 'Gi'].indexOf(slope![2] ?? '');
    expect(bytesPerSecond).toBeGreaterThanOrEqual(262144); // the rule's threshold: a leak below it is not labelled
    expect(bytesPerSecond).toBeLessThan(4 * 1048576); // the leaker adds 60 MB/min (1 MB/s)
    expect(att.text).toMatch(/; time_to_host_memory_exhaustion_seconds=(\d+d )?(\d+h )?(\d+m )?\d+(\.\d+)?s \(threshold 1d 0h 0m 0s\)/);
    expect(att.text).toContain('docs/runbooks.md#procsightmemoryleak');
    expect(att.title_link).toContain('/a/procsight-analyzer-app/explorer/leaky-cache?var-instance=127.0.0.1%3A');

    const pd = received.find(pdTrigger)!.body as {
      routing_key: string;
      dedup_key: string;
      event_action: string;
      payload: { summary: string; severity: string; custom_details: Record<string, string> };
    };
    expect(pd.routing_key).toBe('test-routing-key-0123456789abcdef');
    expect(pd.dedup_key).toMatch(/^[0-9a-f]{64}$/);
    expect(pd.payload.severity).toBe('warning');
    expect(pd.payload.summary).toMatch(/^ProcsightMemoryLeak leaky-cache on 127\.0\.0\.1:\d+: A process group leaks memory\.$/);
    expect(pd.payload.custom_details.group).toBe('leaky-cache');
    expect(pd.payload.custom_details.description).toContain(`Top suggestion: ${heapDump.title}.`);
    expect(pd.payload.custom_details.first_step.trim()).toBe(heapDump.steps[0]);
    expect(pd.payload.custom_details.evidence).toMatch(/^rss_slope_bytes_per_second=\d+(\.\d+)?(ki|Mi|Gi)?B\/s \(threshold 256kiB\/s/);

    await leak.stop();
    await waitFor(
      'the resolve',
      () => received.some((r) => r.path.startsWith('/pagerduty') && r.body.event_action === 'resolve' && r.body.dedup_key === pd.dedup_key),
      90_000,
    );
    expect(
      received.some((r) => r.path.startsWith('/slack') && JSON.stringify(r.body).includes('RESOLVED') && JSON.stringify(r.body).includes('leaky-cache on')),
    ).toBe(true);
  }, 280_000);
});
