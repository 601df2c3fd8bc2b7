import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { tuneJsonSchema } from '../../exporter/src/commands/alerts/schema';
import { capacityJsonSchema } from '../../exporter/src/commands/capacity/schema';
import { reportJsonSchema } from '../../exporter/src/commands/report/schema';
import { statusJsonSchema } from '../../exporter/src/commands/status/schema';
import { DB, EVENTS, MONTH_END_MS, startMonthPrometheus, WEB, type MonthPrometheus } from '../helpers/month';
import { freePort, startPrometheus, type RunningServer } from '../helpers/prometheus';
import { startGuardedPrometheus, type GuardedPrometheus } from './guarded-prometheus';
import { expectGolden, expectOneLineError, run } from './run';

/**
 * The command line against a real Prometheus whose TSDB holds a generated
 * month of procsight series for two hosts (test/helpers/month.ts: daily
 * cycles, growing memory, a CPU incident, a host near its memory limit, an
 * fd leak), backfilled with promtool. Text output is compared with golden
 * files (UPDATE_GOLDEN=1 rewrites them), JSON with the commands' schemas,
 * and the numbers with what the generator put in.
 */
const END = new Date(MONTH_END_MS).toISOString();
const MiB = 1024 * 1024;

describe('procsight commands against a month in a real Prometheus', () => {
  let month: MonthPrometheus;
  let url: string;
  const work = mkdtempSync(join(tmpdir(), 'procsight-cli-'));
  const norm = (s: string): string => s.split(url).join('http://127.0.0.1:PORT');

  beforeAll(async () => {
    month = await startMonthPrometheus();
    url = month.prometheus.url;
  }, 120_000);

  afterAll(async () => {
    await month?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('holds the month, sized so that promtool writes it in well under a minute on an idle machine (about 16 s here)', () => {
    expect(month.samples).toBeGreaterThan(800_000);
    expect(month.samples).toBeLessThan(1_000_000);
  });

  describe('status', () => {
    it('at the end of the month: db-1 CRITICAL (fd_exhaustion, fds run out within the hour), web-1 OK; exit 2', async () => {
      const r = await run(['status', '--prometheus', url, '--at', END]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(2);
      expect(r.stdout.split('\n')[0]).toBe('CRITICAL - 2 hosts: 1 critical, 0 warning, 1 ok; 1 active bottleneck, 1 exhaustion within 1h');
      expectGolden('status-prometheus.txt', norm(r.stdout));
    });

    it('colours levels on a terminal only, and not with NO_COLOR', async () => {
      const tty = await run(['status', '--prometheus', url, '--at', END], { tty: true });
      expect(tty.stdout).toContain('\u001b[31m\u001b[1mCRITICAL\u001b[22m\u001b[39m - 2 hosts');
      const noColour = await run(['status', '--prometheus', url, '--at', END], { tty: true, env: { NO_COLOR: '1' } });
      expect(noColour.stdout).not.toContain('\u001b[');
      expect(noColour.stdout).toBe((await run(['status', '--prometheus', url, '--at', END])).stdout);
    });

    it('--json matches the schema and the exit code', async () => {
      const r = await run(['status', '--prometheus', url, '--at', END, '--json']);
      const j = statusJsonSchema.parse(JSON.parse(r.stdout));
      expect(r.code).toBe(j.exit_code);
      const db = j.hosts.find((h) => h.instance === DB)!;
      expect(db.status).toBe('CRITICAL');
      expect(db.bottlenecks.map((b) => [b.group, b.kind])).toEqual([['conn-pool', 'fd_exhaustion']]);
      expect(db.bottlenecks[0].action?.id).toBe('fd_exhaustion.find_leaked_fds');
      expect(db.bottlenecks[0].action?.first_step).toMatch(/\/proc\/<pid>\/fd/);
      expect(db.exhaustion).toEqual([{ group: 'conn-pool', resource: 'fds', limit: 'fd_limit', bound: 'mean', seconds: 2700, level: 'CRITICAL' }]);
      expect(j.hosts.find((h) => h.instance === WEB)).toMatchObject({ status: 'OK', up: true, hostname: 'web-1', bottlenecks: [], exhaustion: [] });
    });

    it('--at during the CPU incident: web-1 CRITICAL with the evidence and the first step; since when', async () => {
      const at = new Date((EVENTS.apiIncident.start + 3600) * 1000).toISOString();
      const r = await run(['status', '--prometheus', url, '--at', at, '--instance', WEB, '--json']);
      const j = statusJsonSchema.parse(JSON.parse(r.stdout));
      expect(r.code).toBe(2);
      expect(j.hosts).toHaveLength(1);
      const b = j.hosts[0].bottlenecks[0];
      expect(b).toMatchObject({
        group: 'api',
        kind: 'cpu_saturation',
        level: 'CRITICAL',
        since: new Date((EVENTS.apiIncident.start + 300) * 1000).toISOString().replace('.000Z', 'Z'),
      });
      expect(b.evidence.map((e) => e.feature)).toEqual(['cpu_cores_1m', 'host_cpu_busy_ratio']);
      expect(b.evidence[0].text).toMatch(/^cpu_cores_1m = 3\.\d\d cores \(threshold 0\.85 cores, usually 1\.10 cores\)$/);
      expect(b.action?.title).toBe('Profile the hot path');
    });

    it('--at while web-1 was down: CRITICAL, not scraped', async () => {
      const at = new Date((EVENTS.webOutage.start + 1800) * 1000).toISOString();
      const r = await run(['status', '--prometheus', url, '--at', at, '--json', '--instance', WEB]);
      const j = statusJsonSchema.parse(JSON.parse(r.stdout));
      expect(j.hosts[0]).toMatchObject({ status: 'CRITICAL', up: false, reasons: ['not scraped in the last 5 minutes'] });
      expect(r.code).toBe(2);
    });
  });

  describe('report', () => {
    it('daily (Markdown): grades, top consumers, bottleneck periods, anomalies, exhaustion, change', async () => {
      const r = await run(['report', 'daily', '--prometheus', url, '--end', END]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expectGolden('report-daily.md', norm(r.stdout));
    });

    it('weekly (Markdown)', async () => {
      const r = await run(['report', 'weekly', '--prometheus', url, '--end', END]);
      expect(r.code).toBe(0);
      expectGolden('report-weekly.md', norm(r.stdout));
    });

    it('weekly --json: the schema, and the figures the month was made with', async () => {
      const r = await run(['report', 'weekly', '--prometheus', url, '--end', END, '--json']);
      expect(r.code).toBe(0);
      const j = reportJsonSchema.parse(JSON.parse(r.stdout));
      const web = j.hosts.find((h) => h.instance === WEB)!;
      const db = j.hosts.find((h) => h.instance === DB)!;
      // One hour down in 7 days: 1 - 12/2016 samples.
      expect(web.slis.availability.value).toBeCloseTo(1 - 12 / 2016, 3);
      expect(web.slis.availability).toMatchObject({ grade: 'ACCEPTABLE', previous: 1, previous_grade: 'EXCELLENT' });
      expect(db.slis.memory_headroom.grade).toBe('CRITICAL');
      expect(db.grade).toBe('CRITICAL');
      const kinds = j.bottlenecks.periods.map((p) => `${p.group}/${p.kind}/${p.duration_seconds / 60}m${p.ongoing ? '/ongoing' : ''}`);
      expect(kinds).toEqual(['backup/io_bound/55m', 'api/cpu_saturation/95m', 'backup/io_bound/55m', 'conn-pool/fd_exhaustion/180m/ongoing']);
      expect(j.bottlenecks.previous_count).toBe(1);
      expect(j.anomalies.periods.map((p) => p.group)).toEqual(['api', 'nginx', 'conn-pool']);
      expect(j.exhaustion).toHaveLength(1);
      expect(j.exhaustion[0]).toMatchObject({ group: 'conn-pool', resource: 'fds', bound: 'mean', at_end_seconds: 2700 });
      expect(j.top.cpu[0]).toMatchObject({ instance: DB, group: 'postgres' });
    });

    it('--format html: one page, inline SVG charts, no scripts or external resources', async () => {
      const r = await run(['report', 'daily', '--prometheus', url, '--end', END, '--format', 'html']);
      expect(r.code).toBe(0);
      const html = r.stdout;
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(html.match(/<svg /g)).toHaveLength(3);
      expect((html.match(/<polyline /g) ?? []).length).toBeGreaterThanOrEqual(2 + 2 + 5);
      expect(html).not.toMatch(/<script|<link|src="http|href="http/);
      expect(html).toContain('<span class="CRITICAL">CRITICAL</span>');
      expect(html).toMatch(/<td>db-1:9556<\/td><td>conn-pool<\/td><td>fd_exhaustion<\/td>/);
    });
  });

  describe('capacity', () => {
    it('text: a table per host and the recommendations', async () => {
      const r = await run(['capacity', '--prometheus', url, '--end', END]);
      expect(r.code).toBe(0);
      expectGolden('capacity.txt', norm(r.stdout));
    });

    it('--json: trends per day and days to exhaustion recover what the month was made with', async () => {
      const r = await run(['capacity', '--prometheus', url, '--end', END, '--days', '30', '--json']);
      const j = capacityJsonSchema.parse(JSON.parse(r.stdout));
      const find = (instance: string, group: string | null, resource: string) =>
        j.findings.find((f) => f.instance === instance && f.group === group && f.resource === resource)!;
      // api grows 45 MiB a day, postgres 190 MiB a day, conn-pool's worst process 1.5 points of its fd limit a day.
      expect(find(WEB, 'api', 'memory').trend_per_day! / MiB).toBeCloseTo(45, 0);
      expect(find(DB, 'postgres', 'memory').trend_per_day! / MiB).toBeGreaterThan(185);
      expect(find(DB, 'postgres', 'memory').trend_per_day! / MiB).toBeLessThan(195);
      const fds = find(DB, 'conn-pool', 'fds');
      expect(fds.trend_per_day!).toBeCloseTo(0.015, 3);
      expect(fds.days_to_exhaustion).toBeGreaterThan(2);
      expect(fds.days_to_exhaustion).toBeLessThan(3.5);
      expect(fds.recommendation.level).toBe('act');
      expect(fds.daily).toHaveLength(30);
      // db-1 ends with under 1 GiB available and 190 MiB more used each day: days, not weeks.
      const host = find(DB, null, 'memory');
      expect(host.days_to_exhaustion).toBeGreaterThan(3);
      expect(host.days_to_exhaustion).toBeLessThan(6);
      // Daily cycles without growth: no crossing within the horizon.
      expect(find(WEB, 'nginx', 'cpu')).toMatchObject({ days_to_exhaustion: null, recommendation: { level: 'ok' } });
      expect(Math.abs(find(WEB, 'nginx', 'cpu').trend_per_day!)).toBeLessThan(0.01);
      // 8 range queries of 30 daily points, not raw samples.
      expect(j.days).toBe(30);
    });
  });

  describe('alerts tune', () => {
    const rulesFile = join(work, 'tuned.rules.yml');

    it('writes a rules file that promtool accepts, and prints a summary', async () => {
      const r = await run(['alerts', 'tune', '--prometheus', url, '--end', END, '--days', '14', '--output', rulesFile]);
      expect(r.code).toBe(0);
      expectGolden('alerts-tune.txt', norm(r.stdout.split(rulesFile).join('FILE')));
      expectGolden('tuned.rules.yml', norm(readFileSync(rulesFile, 'utf8')));
      const out = execFileSync('promtool', ['check', 'rules', rulesFile], { encoding: 'utf8' });
      expect(out).toMatch(/SUCCESS: \d+ rules found/);
      const doc = parse(readFileSync(rulesFile, 'utf8')) as {
        groups: Array<{ name: string; rules: Array<{ alert?: string; labels?: Record<string, string> }> }>;
      };
      const alerts = doc.groups.find((g) => g.name === 'procsight.tuned.alerts')!.rules;
      expect(new Set(alerts.map((a) => `${a.labels?.priority}=${a.labels?.severity}`))).toEqual(new Set(['P1=critical', 'P2=warning', 'P3=info']));
    });

    it('--json: normal levels leave the incident and the leak out; thresholds at 1.2 / 1.5 / 2 × p99, none above the host', async () => {
      const r = await run(['alerts', 'tune', '--prometheus', url, '--end', END, '--json']);
      const j = tuneJsonSchema.parse(JSON.parse(r.stdout));
      const sig = (instance: string, group: string, signal: string) =>
        j.signals.find((s) => s.instance === instance && s.group === group && s.signal === signal)!;
      const apiCpu = sig(WEB, 'api', 'cpu');
      // The incident ran at 3.6 cores; outside it api never reaches 3.
      expect(apiCpu.max!).toBeLessThan(3);
      expect(apiCpu.levels.map((l) => [l.priority, l.threshold])).toEqual([
        ['P3', Number((apiCpu.p99 * 1.2).toPrecision(3))],
        ['P2', Number((apiCpu.p99 * 1.5).toPrecision(3))],
        ['P1', Number((apiCpu.p99 * 2).toPrecision(3))],
      ]);
      // conn-pool's fd leak (fd_exhaustion) is not normal operation.
      expect(sig(DB, 'conn-pool', 'fds').max!).toBeLessThan(0.8 * 4096);
      // postgres uses 26 GiB of 32: only the P3 level fits under the host's memory.
      expect(sig(DB, 'postgres', 'memory').levels.map((l) => l.priority)).toEqual(['P3']);
      expect(sig(WEB, 'nginx', 'threads')).toMatchObject({ levels: [], skipped: expect.stringMatching(/too quiet/) });
      expect(j.output).toBeNull();
    });

    it('the tuned rules fire at the right priority (promtool test rules)', async () => {
      const j = tuneJsonSchema.parse(JSON.parse((await run(['alerts', 'tune', '--prometheus', url, '--end', END, '--json', '--group', 'api'])).stdout));
      const levels = j.signals.find((s) => s.instance === WEB && s.signal === 'cpu')!.levels;
      const p3 = levels.find((l) => l.priority === 'P3')!.threshold;
      const p2 = levels.find((l) => l.priority === 'P2')!.threshold;
      const cores = Number(((p3 + p2) / 2).toFixed(2));
      const yaml = (await run(['alerts', 'tune', '--prometheus', url, '--end', END, '--group', 'api'])).stdout;
      writeFileSync(join(work, 'api.rules.yml'), yaml);
      const drill = 'http://localhost:3000/a/procsight-analyzer-app/explorer/api?var-instance=web-1%3A9556';
      const test = {
        rule_files: ['api.rules.yml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: [
              { series: `procsight_group_cpu_seconds_total{job="procsight",instance="${WEB}",group="api",mode="user"}`, values: `0+${cores * 60}x60` },
            ],
            alert_rule_test: [
              { eval_time: '10m', alertname: 'ProcsightTunedCpuHigh', exp_alerts: [] },
              {
                eval_time: '40m',
                alertname: 'ProcsightTunedCpuHigh',
                exp_alerts: [
                  {
                    exp_labels: { severity: 'info', priority: 'P3', instance: WEB, group: 'api' },
                    exp_annotations: {
                      summary: "A process group's CPU is above its tuned P3 level.",
                      description: `api on ${WEB}: CPU ${cores.toFixed(2)} cores, above its P3 level ${p3.toFixed(2)} cores (1.2 × its 99th percentile in normal operation).`,
                      runbook_url: 'https://github.com/procsight/procsight/blob/main/docs/cli.md#tuned-alert-rules',
                      dashboard_url: drill,
                    },
                  },
                ],
              },
            ],
          },
        ],
      };
      writeFileSync(join(work, 'api.test.yml'), JSON.stringify(test));
      const out = execFileSync('promtool', ['test', 'rules', join(work, 'api.test.yml')], { encoding: 'utf8', cwd: work });
      expect(out).toMatch(/SUCCESS/);
    });
  });

  describe('errors: one line, exit 3 (UNKNOWN)', () => {
    let empty: RunningServer;
    let guarded: GuardedPrometheus;
    const secretFile = join(work, 'password');

    beforeAll(async () => {
      writeFileSync(secretFile, 's3cret\n');
      empty = await startPrometheus({ config: 'global:\n  scrape_interval: 15s\n' });
      guarded = await startGuardedPrometheus('cli', 's3cret');
    }, 60_000);

    afterAll(async () => {
      await empty?.stop();
      await guarded?.stop();
    });

    it('an unreachable URL', async () => {
      const port = await freePort();
      for (const argv of [
        ['status', '--prometheus'],
        ['report', 'daily', '--prometheus'],
        ['capacity', '--prometheus'],
        ['alerts', 'tune', '--prometheus'],
      ]) {
        const r = await run([...argv, `http://127.0.0.1:${port}`]);
        expectOneLineError(r, new RegExp(`cannot reach Prometheus at http://127.0.0.1:${port}: ECONNREFUSED`));
        expect(r.stdout).toBe('');
      }
      const j = await run(['status', '--prometheus', `http://127.0.0.1:${port}`, '--json']);
      expect(JSON.parse(j.stdout)).toMatchObject({ status: 'UNKNOWN', exit_code: 3 });
    });

    it('a Prometheus with no procsight data', async () => {
      const r = await run(['report', 'weekly', '--prometheus', empty.url]);
      expectOneLineError(r, /holds no procsight data for job="procsight"/);
      expectOneLineError(await run(['status', '--prometheus', url]), /no procsight data/); // the month ended long before now
      expectOneLineError(await run(['status', '--prometheus', url, '--at', END, '--job', 'node']), /no procsight data for job="node"/);
    });

    it('a Prometheus that needs credentials: 401 without them; basic auth from flags, the environment or the URL', async () => {
      expectOneLineError(
        await run(['capacity', '--prometheus', guarded.url]),
        /refused the request \(HTTP 401 Unauthorized\): give credentials with --prometheus-user/,
      );
      expectOneLineError(
        await run(['capacity', '--prometheus', guarded.url, '--prometheus-user', 'cli'], { env: { PROCSIGHT_PROMETHEUS_PASSWORD: 'wrong' } }),
        /HTTP 401/,
      );
      // With the right credentials the request goes through and finds nothing: a different error.
      expectOneLineError(
        await run(['capacity', '--prometheus', guarded.url, '--prometheus-user', 'cli', '--prometheus-password-file', secretFile]),
        /no procsight data/,
      );
      expectOneLineError(
        await run(['capacity', '--prometheus', guarded.url], { env: { PROCSIGHT_PROMETHEUS_USER: 'cli', PROCSIGHT_PROMETHEUS_PASSWORD: 's3cret' } }),
        /no procsight data/,
      );
      expectOneLineError(await run(['capacity', '--prometheus', guarded.url.replace('http://', 'http://cli:s3cret@')]), /no procsight data/);
    });

    it('usage errors', async () => {
      expectOneLineError(await run(['report', 'monthly', '--prometheus', url]), /daily or weekly/);
      expectOneLineError(await run(['capacity']), /--prometheus URL is required/);
      expectOneLineError(await run(['capacity', '--prometheus', url, '--days', 'x']), /--days/);
      expectOneLineError(await run(['status', '--bogus']), /unknown option '--bogus'/);
      expectOneLineError(await run(['status', '--prometheus', url, '--exporter', url]), /not both/);
    });
  });

  it('--help on every subcommand', async () => {
    for (const argv of [['status'], ['report'], ['capacity'], ['alerts', 'tune'], ['alerts']]) {
      const r = await run([...argv, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: procsight /);
      expect(r.stderr).toBe('');
    }
    expect((await run(['help'])).stdout).toMatch(/status \[options\][\s\S]*report[\s\S]*capacity[\s\S]*alerts/);
  });
});
