import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { createApp } from '../../../exporter/src/server/app';
import { createExposition, createRegistry } from '../../../exporter/src/expose/registry';
import { listMetrics } from '../../../exporter/src/expose/metrics-doc';
import type { ExporterState } from '../../../exporter/src/expose/family';
import type { CollectionSnapshot } from '../../../exporter/src/pipeline/types';
import { emptyHost } from '../../../exporter/src/pipeline/collector';
import { silentLogger } from '../../../exporter/src/log/logger';
import { groupSnapshot } from '../../helpers/synthetic';

/**
 * Regression: text and OpenMetrics are rendered from the same metric objects,
 * and prom-client's OpenMetrics registry used to strip `_total` from those
 * objects in place, so after any OpenMetrics scrape (Prometheus asks for it
 * first) the text format served counters without `_total`.
 */
const OM_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const snapshot: CollectionSnapshot = {
  timestampMs: Date.UTC(2026, 0, 1),
  intervalSeconds: 5,
  groups: ['web', 'db'].map((name) =>
    groupSnapshot(name, {
      counters: { cpuUserSeconds: 10, cpuSystemSeconds: 2 },
      gauges: { rssBytes: 100, vmsBytes: 200, threads: 1, openFds: 3, fdLimitRatio: 0.003 },
      rates: { cpuCores: 0.2, cpuUserCores: 0.2 },
    }),
  ),
  host: emptyHost(),
  read: { processesListed: 2, processesRead: 2, errors: {} },
  collectDurationSeconds: 0.01,
  groupsOverflowed: 0,
  trackedPids: 2,
};

function setup() {
  const state: ExporterState = { snapshot: () => snapshot, analysis: () => null, forecasts: () => [], hostInfo: () => null };
  const exposition = createExposition({ ...createRegistry({ version: '1.2.3' }), state });
  exposition.self.collectDuration.observe(0.02);
  exposition.self.processesRead.inc(2);
  const app = createApp({ state, exposition, logger: silentLogger, version: '1.2.3', telemetryPath: '/metrics', ready: () => true, processesOf: () => [] });
  return { app, bump: () => exposition.refresh() };
}

const COUNTERS = listMetrics()
  .filter((m) => m.type === 'counter')
  .map((m) => m.name);

/** The text format: every counter family is `…_total` in HELP, TYPE and every sample. */
function expectTextCounters(text: string): void {
  expect(text.startsWith('# HELP ')).toBe(true);
  expect(text).not.toContain('# EOF');
  const typed = [...text.matchAll(/^# TYPE (\S+) counter$/gm)].map((m) => m[1]);
  expect(typed.sort()).toEqual([...COUNTERS].sort());
  for (const name of COUNTERS) {
    expect(name).toMatch(/_total$/);
    expect(text).toContain(`# HELP ${name} `);
    expect(text).not.toMatch(new RegExp(`^# (HELP|TYPE) ${name.replace(/_total$/, '')} `, 'm'));
    expect(text).not.toMatch(new RegExp(`^${name.replace(/_total$/, '')}[{ ]`, 'm'));
  }
  expect(text).toContain('procsight_group_cpu_seconds_total{group="web",mode="user"} 10');
  expect(text).toContain('procsight_collect_processes_total 2');
}

/** OpenMetrics: counter families named without `_total`, their samples with it, histograms intact, `# EOF` last. */
function expectOpenMetrics(om: string): void {
  expect(om.endsWith('\n# EOF\n')).toBe(true);
  expect(om.split('\n').slice(0, -1)).not.toContain('');
  const families = new Map<string, string>();
  let current = '';
  for (const line of om.trimEnd().split('\n').slice(0, -1)) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      families.set(type[1], type[2]);
      current = type[1];
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line)?.[1] ?? '';
    const suffixes = { counter: ['_total'], gauge: [''], histogram: ['_bucket', '_sum', '_count'] }[families.get(current) ?? ''] ?? [];
    expect(suffixes.map((s) => current + s)).toContain(sample);
  }
  for (const name of COUNTERS) expect(families.get(name.replace(/_total$/, ''))).toBe('counter');
  expect([...families.keys()].filter((n) => n.endsWith('_total'))).toEqual([]);
  expect(om).toContain('procsight_group_cpu_seconds_total{group="web",mode="user"} 10');
  expect(om).toContain('procsight_collect_processes_total 2');
  expect(om).toMatch(/^procsight_collect_duration_seconds_bucket\{le="\+Inf"\} 1$/m);
}

const promtool = (text: string) => execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });

describe('/metrics in both formats, in any order', () => {
  it('text → OpenMetrics → text → OpenMetrics, re-rendered each time: both formats stay correct', async () => {
    const { app, bump } = setup();
    for (let round = 0; round < 2; round++) {
      await bump();
      const text = await request(app).get('/metrics');
      expect(text.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expectTextCounters(text.text);
      expect(promtool(text.text)).toBe('');
      await bump();
      const om = await request(app).get('/metrics').set('Accept', OM_ACCEPT);
      expect(om.headers['content-type']).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
      expectOpenMetrics(om.text);
    }
    // The text rendered after OpenMetrics scrapes still passes promtool.
    await bump();
    const after = (await request(app).get('/metrics')).text;
    expectTextCounters(after);
    expect(promtool(after)).toBe('');
  });

  it('OpenMetrics first, then text from the same generation (one cached rendering per format)', async () => {
    const { app } = setup();
    const om1 = (await request(app).get('/metrics').set('Accept', OM_ACCEPT)).text;
    const text1 = (await request(app).get('/metrics')).text;
    const om2 = (await request(app).get('/metrics').set('Accept', OM_ACCEPT)).text;
    const text2 = (await request(app).get('/metrics')).text;
    expectOpenMetrics(om1);
    expectTextCounters(text1);
    expect(promtool(text1)).toBe('');
    // The same rendering of the families; the exporter's own process_* series are read at each scrape.
    const families = (body: string) => body.split('\n').filter((l) => !/^(# (HELP|TYPE) )?process_/.test(l));
    expect(families(om2)).toEqual(families(om1));
    expect(families(text2)).toEqual(families(text1));
    expect(text2).toMatch(/^process_cpu_seconds_total \d/m);
  });

  it('concurrent text and OpenMetrics scrapes of a fresh generation are each correct', async () => {
    const { app, bump } = setup();
    for (let round = 0; round < 3; round++) {
      await bump();
      const got = await Promise.all(
        [OM_ACCEPT, 'text/plain', OM_ACCEPT, undefined].map((accept) => {
          const r = request(app).get('/metrics');
          return (accept ? r.set('Accept', accept) : r).then((res) => ({ accept, body: res.text }));
        }),
      );
      for (const { accept, body } of got) {
        if (accept === OM_ACCEPT) expectOpenMetrics(body);
        else expectTextCounters(body);
      }
    }
  });
});
