/**
 * Benchmark (not a test): procsight against prometheus-process-exporter on the
 * same N idle processes, side by side in one run.
 *
 *   npx tsx bench/collect-vs-process-exporter.ts [--sizes 100,1000,3000] [--seconds 20] [--warmup 60] [--scrapes 200]
 *
 * Prints a table and rewrites the collection section of docs/benchmarks.md.
 * Figures:
 * - CPU µs per process-sample: procsight's whole-process CPU (collection,
 *   analysis, serving) divided by the process samples it read
 *   (procsight_collect_processes_total); process-exporter's CPU divided by
 *   scrapes × processes (it collects inside each scrape).
 * - /metrics latency p50/p99 over sequential scrapes, in two styles: as
 *   Prometheus scrapes (one kept-alive connection, its headers, gzip) and a
 *   new connection per plain-text request; each beside the machine's floor,
 *   a minimal server answering with the same bytes, all scraped in turn so
 *   they meet the same moments of a noisy machine.
 * - RSS (VmRSS) at the end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import { writeDocSection } from '../scripts/doc-section';
import { exporterLaunchEnv, exporterNodeFlags } from '../scripts/node-flags';
import { freePort } from '../test/helpers/prometheus';
import { countProcesses, startIdleProcesses } from './idle-processes';

const root = join(__dirname, '..');
const args = process.argv.slice(2);
const arg = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : def;
};
const sizes = arg('sizes', '100,1000,3000').split(',').map(Number);
const measureSeconds = Number(arg('seconds', '20'));
/** Seconds after procsight is ready before its steady-state CPU window: its first minute also compiles code, reads every process in full and names them. */
const warmupSeconds = Number(arg('warmup', '60'));
const scrapes = Number(arg('scrapes', '200'));
const CLK_TCK = 100;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/**
 * The request headers Prometheus 2.42 sends with every scrape (captured from the Debian package's
 * prometheus scraping a loopback server), the scrape timeout aside.
 */
const PROMETHEUS_HEADERS = {
  'user-agent': 'Prometheus/2.42.0+ds',
  accept: 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
  'accept-encoding': 'gzip',
  'x-prometheus-scrape-timeout-seconds': '10',
};

/**
 * How a scrape is made. Prometheus keeps one connection to a target open from scrape to scrape
 * (2.42 on this machine: 1 s scrapes over 8 s came on one client port) and asks for OpenMetrics
 * and gzip; the other style opens a new connection for every plain-text request, the worst case.
 */
interface ScrapeStyle {
  name: string;
  agent(): http.Agent | false;
  headers: Record<string, string>;
}

const PROMETHEUS_STYLE: ScrapeStyle = {
  name: 'as Prometheus scrapes (one kept-alive connection, OpenMetrics, gzip)',
  agent: () => new http.Agent({ keepAlive: true, maxSockets: 1 }),
  headers: PROMETHEUS_HEADERS,
};
const NEW_CONNECTION_STYLE: ScrapeStyle = { name: 'a new connection per scrape, plain text', agent: () => false, headers: {} };

interface Answer {
  ms: number;
  body: Buffer;
  headers: http.IncomingHttpHeaders;
}

/** One GET with node:http (lighter than fetch, whose own work showed in the figures); the body as sent, not decoded. */
function request(url: string, options: { agent?: http.Agent | false; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(url, { agent: options.agent ?? false, headers: options.headers, timeout: options.timeoutMs ?? 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - t0;
        if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode}`));
        else resolve({ ms, body: Buffer.concat(chunks), headers: res.headers });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timeout`)));
    req.on('error', reject);
  });
}

async function get(url: string, timeoutMs = 10_000): Promise<{ ms: number; body: string }> {
  const a = await request(url, { timeoutMs });
  return { ms: a.ms, body: a.body.toString() };
}

/**
 * The machine's own floor: a minimal Node HTTP server (another process) answering every request with the
 * same bytes and the same content headers procsight sent. Latency beyond it is the exporter's; up to it,
 * the machine's. Returns its URL and a stop function.
 */
async function startStaticFloor(answer: Answer, dir: string): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const bodyFile = join(dir, `floor-${port}.body`);
  writeFileSync(bodyFile, answer.body);
  const headers: Record<string, string> = { 'content-type': String(answer.headers['content-type'] ?? 'text/plain') };
  if (answer.headers['content-encoding']) headers['content-encoding'] = String(answer.headers['content-encoding']);
  headers['content-length'] = String(answer.body.length);
  const server = spawn(
    process.execPath,
    [
      '-e',
      `const b = require('fs').readFileSync(process.env.BODY_FILE); const h = JSON.parse(process.env.HEADERS); require('http').createServer((q, r) => { r.writeHead(200, h); r.end(b); }).listen(${port}, '127.0.0.1');`,
    ],
    { stdio: 'ignore', env: { ...process.env, BODY_FILE: bodyFile, HEADERS: JSON.stringify(headers) } },
  );
  const url = `http://127.0.0.1:${port}/metrics`;
  await waitFor(url, Date.now() + 10_000);
  return { url, stop: () => server.kill('SIGTERM') };
}

async function waitFor(url: string, deadlineMs: number): Promise<void> {
  while (Date.now() < deadlineMs) {
    try {
      await get(url, 2000);
      return;
    } catch {
      await sleep(200); // not up yet: retry until the deadline
    }
  }
  throw new Error(`${url} did not come up`);
}

function metricValue(body: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(body);
  return m ? Number(m[1]) : NaN;
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function latencies(url: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await get(url)).ms);
  return out;
}

/** One scraper: a URL scraped in one style, with its own connection when the style keeps one. */
interface Scraper {
  url: string;
  style: ScrapeStyle;
  agent: http.Agent | false;
}

/** Sequential scrapes going round the scrapers (n each), so every one meets the same moments of the machine. */
async function interleavedLatencies(scrapers: readonly Scraper[], n: number): Promise<number[][]> {
  const out = scrapers.map((): number[] => []);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < scrapers.length; j++) {
      const s = scrapers[j];
      out[j].push((await request(s.url, { agent: s.agent, headers: s.style.headers })).ms);
    }
  }
  for (const s of scrapers) if (s.agent) s.agent.destroy();
  return out;
}

/** procsight's CPU µs per process-sample in its first window after ready, by number of idle processes. */
const startupCpuByN = new Map<number, number>();

interface Row {
  n: number;
  hostProcesses: number;
  tool: string;
  scrape: string;
  cpuUsPerSample: number;
  p50: number;
  p99: number;
  rssMb: number;
}

async function run(): Promise<void> {
  const exporterMain = join(root, 'exporter', 'dist', 'main.js');
  if (!existsSync(exporterMain)) throw new Error('build the exporter first: npm run build -w exporter');
  const pe = '/usr/bin/prometheus-process-exporter';
  if (!existsSync(pe)) throw new Error('apt-get install prometheus-process-exporter');
  const dir = mkdtempSync(join(tmpdir(), 'procsight-bench-'));
  const peConfig = join(dir, 'pe.yml');
  writeFileSync(peConfig, "process_names:\n  - name: '{{.Comm}}'\n    cmdline:\n    - '.+'\n");
  const rows: Row[] = [];
  for (const n of sizes) {
    // Long enough for one size's run whatever the arguments; they outlive a killed benchmark by no more than that.
    const stopIdle = await startIdleProcesses({ n, dir, lifetimeSeconds: Math.ceil(warmupSeconds + 2 * measureSeconds + 900) });
    const hostProcesses = countProcesses();
    const pPort = await freePort();
    const ePort = await freePort();
    // The Node flags `npm start` gives (PROCSIGHT_NODE_FLAGS to compare others).
    const nodeFlags = process.env.PROCSIGHT_NODE_FLAGS?.split(' ').filter(Boolean) ?? exporterNodeFlags();
    const ps = spawn(process.execPath, [...nodeFlags, exporterMain, `--web.listen-address=127.0.0.1:${pPort}`, '--collect.interval=1s', '--log.level=warn'], {
      stdio: 'ignore',
      env: exporterEnv(),
    });
    const px = spawn(pe, [`-web.listen-address=127.0.0.1:${ePort}`, '-config.path', peConfig, '-gather-smaps=false', '-threads=false'], { stdio: 'ignore' });
    try {
      const psUrl = `http://127.0.0.1:${pPort}/metrics`;
      const pxUrl = `http://127.0.0.1:${ePort}/metrics`;
      await waitFor(`http://127.0.0.1:${pPort}/readyz`, Date.now() + 60_000);
      await waitFor(pxUrl, Date.now() + 60_000);
      const ready = Date.now();
      await sleep(3000);

      // procsight: CPU over a window of collections, per process sample read; once just after start, once at steady state.
      const cpuWindow = async (): Promise<number> => {
        const c0 = cpuSeconds(ps.pid!);
        const s0 = metricValue((await get(psUrl)).body, 'procsight_collect_processes_total');
        await sleep(measureSeconds * 1000);
        const c1 = cpuSeconds(ps.pid!);
        const s1 = metricValue((await get(psUrl)).body, 'procsight_collect_processes_total');
        return ((c1 - c0) * 1e6) / (s1 - s0);
      };
      const startupCpu = await cpuWindow();
      await sleep(Math.max(0, ready + warmupSeconds * 1000 - Date.now()));
      const psCpu = await cpuWindow();
      startupCpuByN.set(n, startupCpu);
      // Latency beside the floor, scrape for scrape, in both styles at once.
      const styles = [PROMETHEUS_STYLE, NEW_CONNECTION_STYLE];
      const floors = await Promise.all(styles.map(async (style) => startStaticFloor(await request(psUrl, { headers: style.headers }), dir)));
      const scrapers: Scraper[] = styles.flatMap((style, i) => [
        { url: psUrl, style, agent: style.agent() },
        { url: floors[i].url, style, agent: style.agent() },
      ]);
      let lat: number[][];
      try {
        lat = await interleavedLatencies(scrapers, scrapes);
      } finally {
        for (const f of floors) f.stop();
      }

      // process-exporter: CPU per scrape (it collects inside the scrape), per process.
      const k = Math.max(5, Math.min(scrapes, Math.round(20000 / n)));
      const d0 = cpuSeconds(px.pid!);
      const pxLat = await latencies(pxUrl, k);
      const d1 = cpuSeconds(px.pid!);
      const pxCpu = ((d1 - d0) * 1e6) / (k * hostProcesses);

      const rss = rssBytes(ps.pid!) / 1048576;
      styles.forEach((style, i) => {
        const [own, floor] = [lat[2 * i], lat[2 * i + 1]];
        const first = i === 0;
        rows.push({
          n,
          hostProcesses,
          tool: 'procsight',
          scrape: style.name,
          cpuUsPerSample: first ? psCpu : NaN,
          p50: pct(own, 50),
          p99: pct(own, 99),
          rssMb: first ? rss : NaN,
        });
        rows.push({
          n,
          hostProcesses,
          tool: 'static server, same bytes (floor)',
          scrape: style.name,
          cpuUsPerSample: NaN,
          p50: pct(floor, 50),
          p99: pct(floor, 99),
          rssMb: NaN,
        });
      });
      rows.push({
        n,
        hostProcesses,
        tool: 'process-exporter 0.7.10',
        scrape: NEW_CONNECTION_STYLE.name,
        cpuUsPerSample: pxCpu,
        p50: pct(pxLat, 50),
        p99: pct(pxLat, 99),
        rssMb: rssBytes(px.pid!) / 1048576,
      });
      console.log(rows.slice(-5));
    } finally {
      ps.kill('SIGTERM');
      px.kill('SIGTERM');
      stopIdle();
      await sleep(1000);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  report(rows);
}

/**
 * The environment procsight runs in: npm start's variables, without NODE_EXTRA_CA_CERTS: a machine
 * that sets it for a proxy (this one does) makes Node load those certificates
 * into every process at start, about 2 MB of RSS that is the machine's, not
 * procsight's.
 */
function exporterEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...exporterLaunchEnv() };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

const fixed = (v: number, digits: number): string => (Number.isNaN(v) ? '–' : v.toFixed(digits));

function report(rows: Row[]): void {
  const header =
    '| idle processes started | processes on host | tool | scrapes made | CPU µs per process-sample | /metrics p50 ms | /metrics p99 ms | RSS MB |';
  const lines = rows.map(
    (r) =>
      `| ${r.n} | ${r.hostProcesses} | ${r.tool} | ${r.scrape} | ${fixed(r.cpuUsPerSample, 1)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${fixed(r.rssMb, 1)} |`,
  );
  const ratios = sizes.map((n) => {
    const a = rows.find((r) => r.n === n && r.tool === 'procsight');
    const b = rows.find((r) => r.n === n && r.tool.startsWith('process-exporter'));
    const startup = startupCpuByN.get(n) ?? NaN;
    return a && b
      ? `- ${n} processes: procsight uses ${(a.cpuUsPerSample / b.cpuUsPerSample).toFixed(2)}× process-exporter's CPU per process-sample (in its first ${measureSeconds} s after ready: ${fixed(startup, 1)} µs, ${(startup / b.cpuUsPerSample).toFixed(2)}×).`
      : '';
  });
  const table = [header, '|---|---|---|---|---|---|---|---|', ...lines].join('\n');
  console.log('\n' + table + '\n' + ratios.join('\n'));
  const body = [
    `Run on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.version}; procsight at --collect.interval=1s with analysis and forecasts on; process-exporter with -gather-smaps=false -threads=false grouping by comm; both running at once on the same processes. procsight's CPU is measured over ${measureSeconds} s from ${warmupSeconds} s after it is ready (steady state; its first window after ready is in the ratio lines), process-exporter's over its scrapes afterwards. Latency: ${scrapes} sequential scrapes in each of two styles, going round four scrapers (procsight and its floor in each style, one request each in turn) so all meet the same moments of the machine: as Prometheus 2.42 scrapes (one connection kept alive from scrape to scrape, its Accept and Accept-Encoding: gzip headers; the time to the last byte of the compressed body), and a new connection for every plain-text request. Each floor row is a minimal Node server in another process answering with the bytes and content headers procsight gave to that style of request. process-exporter is scraped on its own, afterwards, on new connections.`,
    '',
    table,
    '',
    ...ratios,
    '',
    "Targets at 1,000 processes: ≤ 0.15× process-exporter's CPU per process-sample, /metrics p99 ≤ 5 ms (at 1,000 and 3,000), RSS ≤ 100 MB.",
  ].join('\n');
  const path = join(root, 'docs', 'benchmarks.md');
  writeDocSection(path, 'collect', body, { title: '# Benchmarks', heading: 'Collection: procsight vs process-exporter' });
  console.log(`wrote ${path}`);
}

run().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
