import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../scripts/stack';
import { startFault, type FaultHandle } from '../faults/spawn';
import { promQuery, requireBinary } from '../helpers/prometheus';
import { sleep } from '../helpers/exporter';
import { testSizedConfig } from '../helpers/stack-config';
import { buildHost, PLUGIN_DIST, ROOT, SYSTEMJS_DIST, UI_ICONS } from './build-host';
import { startGrafanaStandIn, type StandIn } from './standin/grafana-standin';
import { CATALOG } from '@procsight/contract';
import { actions as exporterActions, bottleneckAlert, notify, startVictim, threadNices, type Victim } from '../helpers/remediation';

/**
 * The built plugin in a real browser (headless Chromium), loaded the way
 * Grafana 13 loads it, over real data: the exporter watches a real fd-leaking
 * process, a real Prometheus scrapes it every second, and a Grafana server
 * STAND-IN (test/browser/standin: no Grafana server can run here) answers the
 * plugin's data source, settings and annotation calls from that Prometheus,
 * and proxies the app's plugin routes to the real exporter as Grafana's
 * plugin proxy does (route matching, roles, credentials from secureJsonData).
 * The host page (test/browser/host, a stand-in for Grafana's frontend shell)
 * provides the bundle's externals from the real npm packages.
 *
 * Every page is visited; visible content is asserted; console errors and
 * uncaught exceptions fail the test; a screenshot of each page is saved in
 * test/artifacts/ for people to look at. With PROCSIGHT_PLUGIN_SCREENSHOTS=1,
 * the pages the plugin.json files list as screenshots (img/screenshots/<page>.png)
 * are also saved there, viewport-sized, for the catalog and the README.
 */
const APP = 'procsight-analyzer-app';
const GROUP = 'conn-pooler';
const KIND = 'fd_exhaustion';
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const TOKEN = 'browser-remediation-token-0123456789';
const VICTIM = 'browser-victim';

/** Page name → where a plugin.json lists its screenshot (`…/img/screenshots/<page>.png`), for both plugin.json files. */
const CATALOG_SHOTS = new Map(
  ['src/plugin.json', 'src/panels/suggestions/plugin.json'].flatMap((file) => {
    const json = JSON.parse(readFileSync(join(ROOT, 'grafana-plugin', file), 'utf8')) as { info: { screenshots?: Array<{ path: string }> } };
    return (json.info.screenshots ?? []).map((s) => [basename(s.path, '.png'), join(ROOT, 'grafana-plugin', dirname(file), s.path)] as const);
  }),
);

describe('the plugin in a real browser (Grafana stand-in host, real Prometheus)', () => {
  let stack: LocalStack;
  let grafana: StandIn;
  let browser: Browser;
  const faults: FaultHandle[] = [];
  let victim: Victim;
  const dir = mkdtempSync(join(tmpdir(), 'procsight-browser-'));
  const problems: string[] = [];
  // Remediation on, in approve mode, for one real process: the Actions page approves through the plugin route.
  const CONFIG = `${testSizedConfig()}remediation:\n  mode: approve\n  webhook_token_file: ${join(dir, 'token')}\n  require_active_bottleneck: false\n  rules:\n    - {group: ${VICTIM}, kind: cpu_saturation, action: renice, nice: 10}\n`;
  let settingsAtStart: Record<string, unknown> = {};

  beforeAll(async () => {
    requireBinary('chromium');
    if (!existsSync(join(PLUGIN_DIST, 'module.js'))) throw new Error('build the plugin first: npm run build -w grafana-plugin');
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(dir, 'config.yml'), CONFIG);
    writeFileSync(join(dir, 'token'), TOKEN);
    stack = await startLocalStack({
      scrapeInterval: '1s',
      exporterArgs: ['--collect.interval=1s', `--config.file=${join(dir, 'config.yml')}`, `--storage.path=${join(dir, 'state')}`],
    });
    faults.push(await startFault('fd-leak', { name: GROUP, args: { 'per-sec': 20 }, fdLimit: 4096, maxSeconds: 600 }));
    victim = await startVictim(VICTIM);
    await buildHost({ outDir: join(dir, 'host'), datasourceUid: 'procsight-prometheus', appUrl: 'http://127.0.0.1', scrapeInterval: '1s' });
    grafana = await startGrafanaStandIn({
      prometheusUrl: stack.prometheusUrl,
      pluginDist: PLUGIN_DIST,
      hostDir: join(dir, 'host'),
      systemjsDist: SYSTEMJS_DIST,
      uiIcons: UI_ICONS,
      datasourceUid: 'procsight-prometheus',
      scrapeIntervalMs: 1000,
      appId: APP,
      // What the configuration page stores: the exporter's URL, and its token where only Grafana's server reads it.
      jsonData: { exporterUrl: stack.exporterUrl },
      secureJsonData: { exporterAuthorization: `Bearer ${TOKEN}` },
      sendUserHeader: true,
    });
    settingsAtStart = { ...grafana.settings.jsonData };
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // Wait (bounded) until Prometheus holds the fault's bottleneck and a forecast for its group.
    const deadline = Date.now() + 180_000;
    const ready = async () =>
      (await promQuery(stack.prometheusUrl, `procsight_bottleneck{group="${GROUP}",kind="${KIND}"} > 0.5`)).length > 0 &&
      (await promQuery(stack.prometheusUrl, `procsight_forecast{group="${GROUP}",resource="fds"}`)).length > 0;
    while (!(await ready())) {
      if (Date.now() > deadline) throw new Error('no fd_exhaustion bottleneck or forecast for the fault within 180 s');
      await sleep(2000);
    }
    // A few more scrapes so the range panels have more than one point.
    await sleep(10_000);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await grafana?.close();
    await Promise.all(faults.map((f) => f.stop()));
    await victim?.stop();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a page, records console errors and uncaught exceptions as problems, returns it. */
  async function open(path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${path}: console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${path}: uncaught: ${e.message}`));
    await page.goto(`${grafana.url}${path}`);
    return page;
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, `browser-${name}.png`), fullPage: true });
    const catalog = CATALOG_SHOTS.get(name);
    if (catalog && process.env.PROCSIGHT_PLUGIN_SCREENSHOTS === '1') {
      mkdirSync(dirname(catalog), { recursive: true });
      // The page's top (a click may have scrolled it), as a visitor first sees it.
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: catalog });
    }
    await page.close();
  }

  /** Series names a stand-in core panel whose title contains `title` received, once it has data. */
  async function panelSeries(page: Page, title: string): Promise<string[]> {
    const panel = page
      .locator('section', { has: page.getByRole('heading', { name: title }) })
      .locator('[data-testid="standin-panel"]')
      .first();
    await panel.locator('[data-testid="standin-series"]').first().waitFor({ timeout: 20_000 });
    return panel
      .locator('[data-testid="standin-series"]')
      .evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(name: string): string | null }).getAttribute('data-name') ?? ''));
  }

  it('overview: top groups per instance and active bottlenecks by kind come from Prometheus', async () => {
    const page = await open(`/a/${APP}/overview`);
    // Per instance: legends are "<group> on <instance>", here this stack's exporter.
    for (const title of ['by CPU (cores)', 'by memory (resident)']) {
      const names = await panelSeries(page, title);
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((n) => n.endsWith(` on ${stack.instance}`))).toBe(true);
    }
    expect(await panelSeries(page, 'Active bottlenecks by kind')).toContain(KIND);
    await shot(page, 'overview');
  }, 60_000);

  /** The annotation marks a stand-in core panel whose title contains `title` draws, once it draws `count` (default: now). */
  async function annotationMarks(page: Page, title: string, count?: number): Promise<Array<{ time: number; text: string; tags: string[] }>> {
    const panel = page
      .locator('section', { has: page.getByRole('heading', { name: title }) })
      .locator('[data-testid="standin-panel"]')
      .first();
    await panel.locator('[data-testid="standin-series"]').first().waitFor({ timeout: 20_000 });
    const marks = panel.locator('[data-testid="standin-annotation"]');
    if (count !== undefined) {
      for (let i = 0; i < 100 && (await marks.count()) !== count; i++) await sleep(200);
    }
    return marks.evaluateAll((els) =>
      els.map((e) => {
        const el = e as unknown as { getAttribute(name: string): string | null };
        return {
          time: Number(el.getAttribute('data-time')),
          text: el.getAttribute('data-text') ?? '',
          tags: (el.getAttribute('data-tags') ?? '').split(',').filter((t) => t !== ''),
        };
      }),
    );
  }

  it("bottleneck explorer: the fault process's group is listed with the right kind, and its row opens the drilldown", async () => {
    const page = await open(`/a/${APP}/explorer`);
    const row = page.getByTestId('data-testid bottleneck-row').filter({ hasText: GROUP });
    await row.first().waitFor({ timeout: 20_000 });
    await expect(row.first().innerText()).resolves.toContain(KIND);
    await shot(page, 'explorer');

    const drill = await open(`/a/${APP}/explorer`);
    await drill.getByTestId('data-testid bottleneck-row').filter({ hasText: GROUP }).getByRole('link', { name: GROUP }).click();
    await drill.waitForURL(new RegExp(`/a/${APP}/explorer/${GROUP}`));
    await expect(drill.getByTestId('host-page-title').innerText()).resolves.toBe(GROUP);
    expect(await panelSeries(drill, `${GROUP}: threads and open fds`)).toEqual(expect.arrayContaining(['threads', 'open fds']));
    expect(await panelSeries(drill, `${GROUP}: anomaly scores`)).toContain('fds');
    await drill.getByText(`Evidence for ${GROUP}`).waitFor();
    await expect(drill.locator('body').innerText()).resolves.toContain(`${KIND}: severity`);
    await drill.getByTestId('data-testid suggestion-card').first().waitFor({ timeout: 20_000 });
    // Correlation hints from the real exporter, through the plugin route: a table or "nothing moved", never unavailable or an error.
    await drill.getByText('Moved together (a hint, not a cause)').waitFor({ timeout: 20_000 });
    await expect(drill.getByTestId('data-testid correlations-unavailable').count()).resolves.toBe(0);
    await expect(drill.locator('body').innerText()).resolves.not.toContain('Cannot load correlation hints');
    await expect(drill.locator('body').innerText()).resolves.toMatch(new RegExp(`What moved with ${GROUP}'s fds|Nothing moved with ${GROUP}'s fds`));

    // Operator feedback on the group shows on the drilldown's time-series panels: its annotation layer asks the
    // built-in "-- Grafana --" data source (stand-in in the host) for annotations tagged procsight and group:<group>.
    expect(grafana.annotationQueries).toContainEqual(expect.objectContaining({ tags: ['procsight', `group:${GROUP}`], matchAny: false }));
    expect(await annotationMarks(drill, `${GROUP}: threads and open fds`)).toEqual([]);
    const card = drill.getByTestId('data-testid suggestion-card').first();
    await card.getByTestId('data-testid suggestion-helpful').click();
    await card.getByTestId('data-testid suggestion-sent').waitFor({ timeout: 10_000 });
    const sent = grafana.annotations.filter((a) => a.tags.includes(`group:${GROUP}`));
    expect(sent).toHaveLength(1);
    // The feedback refreshes the drilldown, so the mark appears at once on every time-series panel.
    for (const title of [`${GROUP}: threads and open fds`, `${GROUP}: anomaly scores`, `${GROUP}: CPU (cores)`]) {
      const marks = await annotationMarks(drill, title, sent.length);
      expect(marks).toEqual([{ time: sent[0].time, text: sent[0].text, tags: sent[0].tags }]);
    }
    // The layer's own query (the suggestion view also lists all feedback, without a time range, and may ask last).
    const query = grafana.annotationQueries.filter((q) => q.tags.includes(`group:${GROUP}`)).at(-1)!;
    expect(query.from).toBeLessThanOrEqual(sent[0].time);
    expect(query.to).toBeGreaterThanOrEqual(sent[0].time);
    await shot(drill, 'drilldown');
  }, 90_000);

  it("suggestions: the catalog's top action for the bottleneck is shown, and feedback clicks create tagged annotations and reach the exporter through the plugin route (stand-in proxy)", async () => {
    // The action with the highest prior ranks first for a single bottleneck without feedback.
    const top = [...CATALOG.kinds[KIND]].sort((a, b) => b.prior - a.prior)[0];
    const page = await open(`/a/${APP}/suggestions`);
    const card = page.getByTestId('data-testid suggestion-card').filter({ hasText: top.title }).filter({ hasText: GROUP });
    await card.first().waitFor({ timeout: 20_000 });
    const before = grafana.annotations.length;
    await card.first().getByTestId('data-testid suggestion-helpful').click();
    await card.first().getByTestId('data-testid suggestion-sent').waitFor();
    await card.first().getByTestId('data-testid suggestion-applied').click();
    await card.first().getByTestId('data-testid suggestion-sent').filter({ hasText: 'applied' }).waitFor({ timeout: 10_000 });
    const added = grafana.annotations.slice(before);
    expect(added.map((a) => a.tags.find((t) => t.startsWith('feedback:')))).toEqual(['feedback:helpful', 'feedback:applied']);
    for (const a of added) expect(a.tags).toEqual(expect.arrayContaining(['procsight', `action:${top.id}`, `kind:${KIND}`, `group:${GROUP}`]));
    await card.first().getByTestId('data-testid suggestion-exporter-sent').waitFor({ timeout: 10_000 });
    // Through Grafana's plugin route: the browser called Grafana, Grafana's server called the exporter with the stored token.
    const sent = grafana.proxied.filter((p) => p.route === 'POST exporter/api/v1/feedback');
    expect(sent.length).toBeGreaterThanOrEqual(2);
    for (const p of sent) {
      expect(p).toMatchObject({ upstream: `${stack.exporterUrl}/api/v1/feedback`, status: 201 });
      expect(p.headers.authorization).toBe(`Bearer ${TOKEN}`);
    }
    // The exporter's own ranking now counts them (this page's two and the drilldown test's helpful).
    const fb = (await (await fetch(`${stack.exporterUrl}/api/v1/feedback`)).json()) as { actions: Array<{ action: string; helpful: number; applied: number }> };
    const counted = fb.actions.find((a) => a.action === top.id);
    expect(counted?.helpful).toBeGreaterThanOrEqual(1);
    expect(counted?.applied).toBe(1);
    await shot(page, 'suggestions');

    // Opened afterwards, the group's drilldown marks all its feedback (this page's and the drilldown test's) on its panels.
    const mine = grafana.annotations.filter((a) => a.tags.includes('procsight') && a.tags.includes(`group:${GROUP}`));
    expect(mine.length).toBeGreaterThanOrEqual(added.length);
    const drill = await open(`/a/${APP}/explorer/${GROUP}`);
    const marks = await annotationMarks(drill, `${GROUP}: threads and open fds`, mine.length);
    expect(marks.map((m) => m.time).sort((a, b) => a - b)).toEqual(mine.map((a) => a.time).sort((a, b) => a - b));
    expect(marks.map((m) => m.tags.find((t) => t.startsWith('feedback:')))).toEqual(expect.arrayContaining(['feedback:helpful', 'feedback:applied']));
    await drill.close();
  }, 90_000);

  it('forecasts: history and the forecast band ahead of now for the chosen group, and the exhaustion table', async () => {
    const page = await open(`/a/${APP}/forecasts?var-group=${GROUP}&var-resource=fds`);
    const names = await panelSeries(page, 'history and forecast band');
    expect(names).toEqual(expect.arrayContaining(['actual', 'lower (1m ahead)', 'mean (1m ahead)', 'upper (1m ahead)']));
    const band = page.locator('[data-testid="standin-series"][data-name="upper (1m ahead)"]');
    expect(Number(await band.getAttribute('data-points'))).toBeGreaterThan(0);
    await page.locator('[data-testid="data-testid exhaustion-table"], [data-testid="data-testid exhaustion-empty"]').first().waitFor({ timeout: 20_000 });
    await shot(page, 'forecasts');
  }, 60_000);

  it("config page: saving writes the data source and instance label to the app's jsonData", async () => {
    const page = await open(`/plugins/${APP}`);
    const label = page.getByTestId('data-testid ac-instance-label');
    await label.waitFor({ timeout: 20_000 });
    await label.fill('host');
    await page.getByTestId('data-testid ac-submit-form').click();
    for (let i = 0; i < 50 && grafana.settings.jsonData.instanceLabel !== 'host'; i++) await sleep(200);
    expect(grafana.settings.jsonData.instanceLabel).toBe('host');
    expect(grafana.settings.jsonData.exporterUrl).toBe(stack.exporterUrl); // kept
    expect(grafana.settings.secureJsonData.exporterAuthorization).toBe(`Bearer ${TOKEN}`); // kept: not sent again unless reset
    await shot(page, 'config');
    // New credentials: the stored ones are replaced, and the page never reads them back.
    const again = await open(`/plugins/${APP}`);
    await again.getByTestId('data-testid ac-exporter-url').waitFor({ timeout: 20_000 });
    const settingsSeen: string[] = [];
    again.on('response', async (r) => {
      if (r.url().includes(`/api/plugins/${APP}/settings`) && r.request().method() === 'GET') settingsSeen.push(await r.text());
    });
    await again.getByRole('button', { name: 'Reset' }).click();
    await again.getByLabel('Bearer token').click();
    await again.getByTestId('data-testid ac-exporter-token').fill('another-token-0123456789');
    await again.getByTestId('data-testid ac-submit-form').click();
    for (let i = 0; i < 50 && grafana.settings.secureJsonData.exporterAuthorization !== 'Bearer another-token-0123456789'; i++) await sleep(200);
    expect(grafana.settings.secureJsonData.exporterAuthorization).toBe('Bearer another-token-0123456789');
    await again.reload();
    await again.getByTestId('data-testid ac-exporter-credentials-set').waitFor({ timeout: 20_000 });
    expect(settingsSeen.join('\n')).not.toContain('another-token');
    await again.close();
    grafana.settings.jsonData = { ...settingsAtStart };
    grafana.settings.secureJsonData.exporterAuthorization = `Bearer ${TOKEN}`;
  }, 60_000);

  it('actions page (the stand-in proxies the plugin routes as Grafana does): a Viewer sees the pending action but may not approve it (the route answers 403); an Editor approves it and the real process is reniced', async () => {
    const r = await notify(stack.exporterUrl, TOKEN, [bottleneckAlert(VICTIM, 'cpu_saturation')]);
    expect(r.body.results?.[0]).toMatchObject({ status: 'pending' });
    const id = r.body.results?.[0].id as string;
    try {
      grafana.user = { login: 'bob', role: 'Viewer' };
      const viewer = await open(`/a/${APP}/actions`);
      const row = viewer.getByTestId('data-testid actions-pending-row').filter({ hasText: VICTIM });
      await row.first().waitFor({ timeout: 20_000 });
      await expect(row.first().getByTestId('data-testid actions-approve').getAttribute('aria-disabled')).resolves.toBe('true');
      // Even a hand-made request is refused by the route's reqRole, before it reaches the exporter.
      const forced = await viewer.evaluate(
        async (url) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
        `/api/plugin-proxy/${APP}/exporter/api/v1/actions/${id}/approve`,
      );
      expect(forced).toBe(403);
      // Chromium logs the refused request as a console error: expected here, not a problem of the page.
      for (let i = problems.length - 1; i >= 0; i--)
        if (problems[i].startsWith(`/a/${APP}/actions: console error:`) && problems[i].includes('403')) problems.splice(i, 1);
      expect(grafana.proxied.at(-1)).toMatchObject({ route: 'POST exporter/api/v1/actions/*', upstream: null, status: 403 });
      expect([...new Set(threadNices(victim.pid))]).toEqual([0]);
      await viewer.close();

      grafana.user = { login: 'alice', role: 'Editor' };
      const editor = await open(`/a/${APP}/actions`);
      const pending = editor.getByTestId('data-testid actions-pending-row').filter({ hasText: VICTIM });
      await pending.first().waitFor({ timeout: 20_000 });
      await pending.first().getByTestId('data-testid actions-approve').click();
      const message = editor.getByTestId('data-testid actions-message');
      await message.waitFor({ timeout: 20_000 });
      await expect(message.innerText()).resolves.toContain(`renice on ${VICTIM} for cpu_saturation: done`);
      expect([...new Set(threadNices(victim.pid))]).toEqual([10]);
      const done = (await exporterActions(stack.exporterUrl)).find((a) => a.id === id);
      expect(done).toMatchObject({ status: 'done', decided_by: 'bearer token (for Grafana user alice)' });
      expect(grafana.proxied.filter((p) => p.route === 'POST exporter/api/v1/actions/*' && p.status === 200).map((p) => p.upstream)).toEqual([
        `${stack.exporterUrl}/api/v1/actions/${id}/approve`,
      ]);
      await editor.locator(`[data-testid="data-testid actions-audit-row"][data-id="${id}"][data-status="done"]`).waitFor({ timeout: 20_000 });
      await shot(editor, 'actions');
    } finally {
      grafana.user = { login: 'admin', role: 'Admin' };
    }
  }, 90_000);

  it('a dashboard with the nested "procsight suggestions" panel shows the group\'s ranked suggestions', async () => {
    const page = await open(`/d/procsight-suggestions?var-group=${GROUP}`);
    const cards = page.getByTestId('data-testid suggestion-card');
    await cards.first().waitFor({ timeout: 30_000 });
    expect(await cards.count()).toBeGreaterThan(0);
    await expect(cards.first().innerText()).resolves.toContain(GROUP);
    await shot(page, 'dashboard-panel');
  }, 60_000);

  it('no console errors, no uncaught exceptions, no API call the stand-in does not know', () => {
    expect(problems).toEqual([]);
    expect(grafana.unknownCalls).toEqual([]);
    expect(grafana.queries.filter((q) => q.error)).toEqual([]);
  });
});
