import { execFileSync } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CATALOG, type BottleneckKind } from '@procsight/contract';
import { sleep } from '../helpers/exporter';
import { requireBinary, startAlertmanager, type RunningServer } from '../helpers/prometheus';

/**
 * What Slack, PagerDuty and email show of an alert: the top suggestion by its
 * catalog title and its first step, never its id. The alerts' annotations are
 * the ones `promtool test rules` proves Prometheus writes (the expectations in
 * alert-rules/tests/procsight.test.yml); they go through the committed
 * alertmanager.yml and templates with amtool, then through a real
 * Alertmanager to stand-ins for Slack, PagerDuty and an SMTP server.
 */
const root = join(__dirname, '..', '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

interface PromtoolCase {
  name: string;
  alert_rule_test: Array<{ alertname: string; exp_alerts: Array<{ exp_labels: Record<string, string>; exp_annotations: Record<string, string> }> }>;
}
const promtoolCases = (parse(read('alert-rules/tests/procsight.test.yml')) as { tests: PromtoolCase[] }).tests;

/** The labels and annotations promtool proves an alert fires with (its first case that names the top suggestion). */
function firing(alertname: string): { labels: Record<string, string>; annotations: Record<string, string> } {
  for (const c of promtoolCases) {
    if (!c.name.includes('top suggestion')) continue;
    const exp = c.alert_rule_test.find((t) => t.alertname === alertname && t.exp_alerts.length > 0)?.exp_alerts[0];
    if (exp) return { labels: { alertname, ...exp.exp_labels }, annotations: exp.exp_annotations };
  }
  throw new Error(`no promtool case for ${alertname}`);
}

/** The top action the promtool case ranks first for a kind (its `procsight_suggestion` series with the highest value). */
function topActionOf(alertname: string, kind: BottleneckKind) {
  const c = promtoolCases.find((x) => x.name.includes('top suggestion') && x.alert_rule_test.some((t) => t.alertname === alertname))!;
  const inputs = (c as unknown as { input_series: Array<{ series: string; values: string }> }).input_series;
  const ranked = inputs
    .filter((i) => i.series.startsWith('procsight_suggestion{'))
    .map((i) => ({ id: /action="([^"]+)"/.exec(i.series)![1], score: Number(i.values.split('x')[0]) }))
    .sort((a, b) => b.score - a.score);
  return CATALOG.kinds[kind].find((a) => a.id === ranked[0].id)!;
}

const am = parse(read('alert-rules/alertmanager.yml')) as {
  receivers: Array<{
    name: string;
    slack_configs?: Array<{ text: string }>;
    pagerduty_configs?: Array<{ description: string; details: Record<string, string> }>;
    email_configs?: Array<{ html: string }>;
  }>;
};
const receiver = (name: string) => am.receivers.find((r) => r.name === name)!;

describe("amtool template render: the committed receivers' texts for a leak the rules report", () => {
  const alert = firing('ProcsightMemoryLeak');
  const top = topActionOf('ProcsightMemoryLeak', 'memory_leak');
  let dir: string;
  let dataFile: string;

  beforeAll(() => {
    requireBinary('amtool');
    dir = mkdtempSync(join(tmpdir(), 'procsight-amtool-render-'));
    dataFile = join(dir, 'data.json');
    const common = { alertname: alert.labels.alertname, group: alert.labels.group, instance: alert.labels.instance, severity: alert.labels.severity };
    writeFileSync(
      dataFile,
      JSON.stringify({
        receiver: 'slack',
        status: 'firing',
        alerts: [
          {
            status: 'firing',
            labels: alert.labels,
            annotations: alert.annotations,
            startsAt: '2026-01-01T00:00:00Z',
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'http://prometheus/graph',
            fingerprint: '0123456789abcdef',
          },
        ],
        groupLabels: { alertname: alert.labels.alertname, instance: alert.labels.instance, group: alert.labels.group },
        commonLabels: { ...common, kind: alert.labels.kind, job: alert.labels.job },
        commonAnnotations: alert.annotations,
        externalURL: 'http://alertmanager:9093',
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const render = (text: string, type: 'text' | 'html' = 'text') =>
    execFileSync(
      'amtool',
      [
        'template',
        'render',
        `--template.glob=${join(root, 'alert-rules', 'templates', '*.tmpl')}`,
        `--template.text=${text}`,
        `--template.data=${dataFile}`,
        `--template.type=${type}`,
      ],
      {
        encoding: 'utf8',
      },
    );

  it("the annotations name the catalog's top action by title and carry its first step (the promtool expectation)", () => {
    expect(top.id).toBe('memory_leak.heap_dump');
    expect(alert.annotations.description).toContain(`Top suggestion: ${top.title}.`);
    expect(alert.annotations.first_step).toBe(top.steps[0]);
  });

  it('Slack: the title and the first step, not the id', () => {
    const text = render(receiver('slack').slack_configs![0].text);
    expect(text).toContain(`Top suggestion: ${top.title}.`);
    expect(text).toContain(`\nFirst step: ${top.steps[0]}\n`);
    expect(text).toContain('Evidence: rss_slope_bytes_per_second=1MiB/s');
    expect(text).not.toContain(top.id);
  });

  it('PagerDuty: the title in the description detail and the first step in its own detail', () => {
    const pd = receiver('pagerduty-and-slack').pagerduty_configs![0];
    expect(render(pd.details.description)).toContain(`Top suggestion: ${top.title}.`);
    expect(render(pd.details.first_step).trim()).toBe(top.steps[0]);
    expect(render(pd.description)).toBe(`ProcsightMemoryLeak api on host-1:9556: ${alert.annotations.summary}`);
    for (const t of Object.values(pd.details)) expect(render(t)).not.toContain(top.id);
  });

  it('email: the title and the first step, HTML-escaped', () => {
    const html = unescapeHtml(render(receiver('email').email_configs![0].html, 'html'));
    expect(html).toContain(`Top suggestion: ${top.title}.`);
    expect(html).toContain(`First step: ${top.steps[0]}<br>`);
    expect(html).not.toContain(top.id);
  });
});

/** The HTML part of a MIME message sent quoted-printable, decoded. */
function htmlPart(message: string): string {
  const part = message.split(/\r\n--[^\r\n]+\r\n/).find((p) => /Content-Type: text\/html/i.test(p));
  if (!part) throw new Error(`no text/html part in:\n${message.slice(0, 2000)}`);
  const body = part.slice(part.indexOf('\r\n\r\n') + 4);
  const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Text of HTML that html/template escaped. */
const unescapeHtml = (html: string) =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;/g, "'")
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** Just enough SMTP for Go's net/smtp client: records each message's DATA. */
function smtpStandIn(messages: string[]): TcpServer {
  return createTcpServer((socket) => {
    let buffer = '';
    let inData = false;
    socket.write('220 standin ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          // Undo the client's dot-stuffing (RFC 5321 4.5.2).
          messages.push(
            buffer
              .slice(0, end)
              .replace(/^\.\./, '.')
              .replace(/\r\n\.\./g, '\r\n.'),
          );
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 OK\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.split(' ')[0].toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-standin\r\n250 8BITMIME\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 end with .\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 OK\r\n');
      }
    });
  });
}

describe('a real Alertmanager with the committed config delivers the title and first step', () => {
  const received: Array<{ path: string; body: Record<string, unknown> }> = [];
  const mails: string[] = [];
  let http: Server;
  let smtp: TcpServer;
  let alertmanager: RunningServer;

  beforeAll(async () => {
    http = createHttpServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(data) as Record<string, unknown> });
        res.writeHead(req.url?.startsWith('/pagerduty') ? 202 : 200, { 'content-type': 'application/json' });
        res.end(req.url?.startsWith('/pagerduty') ? '{"status":"success","message":"Event processed","dedup_key":"x"}' : 'ok');
      });
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    smtp = smtpStandIn(mails);
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const httpPort = (http.address() as AddressInfo).port;
    const smtpPort = (smtp.address() as AddressInfo).port;
    const config = read('alert-rules/alertmanager.yml')
      .replace(/\/etc\/alertmanager\/secrets\//g, '')
      .replace('/etc/alertmanager/templates/', `${join(root, 'alert-rules', 'templates')}/`)
      .replace("smtp_smarthost: 'mailpit:1025'", `smtp_smarthost: '127.0.0.1:${smtpPort}'`)
      .replace('https://events.pagerduty.com/v2/enqueue', `http://127.0.0.1:${httpPort}/pagerduty/v2/enqueue`)
      .replace(/group_wait: 30s/, 'group_wait: 1s');
    expect(config).toContain(`127.0.0.1:${smtpPort}`);
    alertmanager = await startAlertmanager({
      config,
      files: { slack_webhook_url: `http://127.0.0.1:${httpPort}/slack/T000/B000/XXX`, pagerduty_routing_key: 'test-routing-key' },
    });
  }, 60_000);

  afterAll(async () => {
    await alertmanager?.stop();
    await new Promise<void>((r) => http?.close(() => r()));
    await new Promise<void>((r) => smtp?.close(() => r()));
  });

  it('critical → PagerDuty and Slack, info → email, each with the catalog title and first step', async () => {
    const critical = firing('ProcsightFdExhaustion');
    // Another group: a critical alert of a group inhibits that group's infos (alertmanager.yml).
    const promtoolInfo = firing('ProcsightNetworkSaturation');
    const info = { labels: { ...promtoolInfo.labels, group: 'batch' } as Record<string, string>, annotations: promtoolInfo.annotations };
    const topCritical = topActionOf('ProcsightFdExhaustion', 'fd_exhaustion');
    const topInfo = topActionOf('ProcsightNetworkSaturation', 'network_saturation');
    expect([critical.labels.severity, info.labels.severity]).toEqual(['critical', 'info']);
    const post = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([critical, info].map((a) => ({ labels: a.labels, annotations: a.annotations, startsAt: new Date().toISOString() }))),
    });
    expect(post.status).toBe(200);
    const deadline = Date.now() + 30_000;
    const slack = () => received.find((r) => r.path.startsWith('/slack'));
    const pd = () => received.find((r) => r.path.startsWith('/pagerduty'));
    while (!(slack() && pd() && mails.length > 0)) {
      if (Date.now() > deadline)
        throw new Error(`timed out: ${JSON.stringify(received).slice(0, 2000)} mails ${mails.length}\n${alertmanager.output().slice(-2000)}`);
      await sleep(250);
    }
    const slackText = (slack()!.body as { attachments: Array<{ text: string }> }).attachments[0].text;
    expect(slackText).toContain(`Top suggestion: ${topCritical.title}.`);
    expect(slackText).toContain(`First step: ${topCritical.steps[0]}`);
    const details = (pd()!.body as { payload: { custom_details: Record<string, string> } }).payload.custom_details;
    expect(details.description).toContain(`Top suggestion: ${topCritical.title}.`);
    expect(details.first_step.trim()).toBe(topCritical.steps[0]);
    const html = unescapeHtml(htmlPart(mails[0]));
    expect(html).toContain(`Top suggestion: ${topInfo.title}.`);
    expect(html).toContain(`First step: ${topInfo.steps[0]}<br>`);
    expect(html).toContain(`href="${promtoolInfo.annotations.runbook_url}"`);
    for (const text of [slackText, JSON.stringify(details), html]) {
      expect(text).not.toContain(topCritical.id);
      expect(text).not.toContain(topInfo.id);
    }
  }, 60_000);
});
