import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compose, type Service } from '../../exporter/src/compose';
import { parseCli } from '../../exporter/src/cli/parse';
import type { CliOptions } from '../../exporter/src/cli/flags';
import { silentLogger } from '../../exporter/src/log/logger';
import { startFault, type FaultHandle } from '../faults/spawn';
import { sleep, startExporter } from '../helpers/exporter';

/**
 * Issue 23, point 3: procsight as a drop-in for process-exporter. The real
 * `prometheus-process-exporter` (Debian's 0.7.10) and procsight, started with
 * the SAME process-exporter command line, watch the same real processes
 * (started after both, so both count their whole lives); their
 * namedprocess_namegroup_* series must have the same names and label sets,
 * and values that agree exactly where nothing moves and within a tolerance
 * where something does between the two reads.
 */
const NAMES = ['pe-burner', 'pe-idle', 'pe-writer'];

type Series = Map<string, number>;

/** name{sorted labels} → value, for the namedprocess_namegroup_* series of the given groups. */
function parse(text: string, groups: readonly string[]): Series {
  const out: Series = new Map();
  for (const line of text.split('\n')) {
    const m = /^(namedprocess_namegroup_\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m) continue;
    const labels = [...m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]] as const).sort(([a], [b]) => a.localeCompare(b));
    const group = labels.find(([k]) => k === 'groupname')?.[1];
    if (!group || !groups.includes(group)) continue;
    out.set(`${m[1]}{${labels.map(([k, v]) => `${k}="${v}"`).join(',')}}`, Number(m[3]));
  }
  return out;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

describe('procsight and process-exporter side by side (stand-in free: both real)', () => {
  let dir: string;
  let pe: ChildProcess | undefined;
  let svc: Service | undefined;
  const faults: FaultHandle[] = [];
  let peUrl = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'procsight-pe-'));
    const config = join(dir, 'pe.yml');
    writeFileSync(config, `process_names:\n  - name: "{{.Comm}}"\n    comm:\n${NAMES.map((n) => `    - ${n}\n`).join('')}`);
    const port = await freePort();
    peUrl = `http://127.0.0.1:${port}`;
    // The same process-exporter command line for both.
    const argv = ['-config.path', config, '-threads=true', '-gather-smaps', '-web.listen-address', `127.0.0.1:${port}`];
    pe = spawn('prometheus-process-exporter', argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    const parsed = parseCli(
      argv.map((a) => a.replace(`127.0.0.1:${port}`, '127.0.0.1:0')),
      { version: 'test', env: {}, write: () => undefined },
    );
    expect(parsed.options.processExporter).toMatchObject({ threads: true, gatherSmaps: true, children: true });
    svc = await compose({ cli: { ...parsed.options, collectIntervalSeconds: 1 }, logger: silentLogger });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${peUrl}/metrics`)).ok) break;
      } catch {
        await sleep(100); // not listening yet
      }
    }
    faults.push(
      await startFault('cpu-hog', { name: 'pe-burner' }),
      await startFault('idle', { name: 'pe-idle' }),
      await startFault('io-writer', { name: 'pe-writer', args: { 'kb-per-write': 64, 'writes-per-sec': 10 } }),
    );
    // Thread counters start at each exporter's first sight of a thread: procsight's cycle first, then
    // process-exporter's first scrape (it reads at its scrapes), so that its thread counters can only be lower.
    await svc.collectNow();
    await fetch(`${peUrl}/metrics`);
    await sleep(3000);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(faults.map((f) => f.stop()));
    await svc?.stop();
    pe?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exports the same series names and labels, with agreeing values', async () => {
    // process-exporter reads at its scrape; procsight's cycles before and after that scrape bracket it.
    const ours = async () => {
      await svc!.collectNow();
      await svc!.exposition.refresh('collection');
      return parse(await svc!.exposition.body('text'), NAMES);
    };
    const before = await ours();
    const b = parse(await (await fetch(`${peUrl}/metrics`)).text(), NAMES);
    const a = await ours();
    // process-exporter 0.7.10's threads_wchan has no procsight counterpart (docs/process-exporter.md).
    for (const k of [...b.keys()]) if (k.startsWith('namedprocess_namegroup_threads_wchan{')) b.delete(k);
    expect(b.size).toBeGreaterThan(60);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());

    const sorted = (labels: string) => labels.split(',').sort().join(',');
    const value = (s: Series, name: string, labels: string) => s.get(`${name}{${sorted(labels)}}`) ?? NaN;
    /** A gauge: process-exporter's value within abs + rel of the range procsight's reads before and after its scrape span. */
    const near = (name: string, labels: string, abs: number, rel = 0) => {
      const [x1, x2] = [value(before, name, labels), value(a, name, labels)];
      const y = value(b, name, labels);
      const slack = abs + rel * Math.abs(y);
      expect([name, labels, x1, y, x2, y >= Math.min(x1, x2) - slack && y <= Math.max(x1, x2) + slack]).toEqual([name, labels, x1, y, x2, true]);
    };
    /** A counter: process-exporter's value between procsight's before and after its scrape (abs: rounding, and what moves within a read). */
    const between = (name: string, labels: string, abs: number) => {
      const lo = value(before, name, labels);
      const hi = value(a, name, labels);
      const y = value(b, name, labels);
      expect([name, labels, lo, y, hi, y >= lo - abs && y <= hi + abs]).toEqual([name, labels, lo, y, hi, true]);
    };
    const N = 'namedprocess_namegroup_';
    for (const g of NAMES) {
      const gl = `groupname="${g}"`;
      near(`${N}num_procs`, gl, 0);
      near(`${N}num_threads`, gl, 1);
      near(`${N}open_filedesc`, gl, 2);
      near(`${N}worst_fd_ratio`, gl, 2 / 1024);
      near(`${N}oldest_start_time_seconds`, gl, 1); // process-exporter truncates to whole seconds
      near(`${N}memory_bytes`, `${gl},memtype="resident"`, 2e6, 0.05);
      near(`${N}memory_bytes`, `${gl},memtype="virtual"`, 2e6, 0.05);
      near(`${N}memory_bytes`, `${gl},memtype="swapped"`, 0);
      near(`${N}memory_bytes`, `${gl},memtype="proportionalResident"`, 2e6, 0.1);
      between(`${N}major_page_faults_total`, gl, 0);
      between(`${N}minor_page_faults_total`, gl, 0);
      between(`${N}cpu_seconds_total`, `${gl},mode="user"`, 0.011);
      between(`${N}cpu_seconds_total`, `${gl},mode="system"`, 0.011);
      // Threads that exit between reads leave both sums: a few switches of slack.
      between(`${N}context_switches_total`, `${gl},ctxswitchtype="voluntary"`, 5);
      between(`${N}context_switches_total`, `${gl},ctxswitchtype="nonvoluntary"`, 5);
      between(`${N}read_bytes_total`, gl, 0);
      between(`${N}write_bytes_total`, gl, 0);
      const states = (s: Series) =>
        ['Running', 'Sleeping', 'Waiting', 'Zombie', 'Other'].reduce((t, st) => t + value(s, `${N}states`, `${gl},state="${st}"`), 0);
      expect([g, Math.abs(states(a) - states(b)) <= 1]).toEqual([g, true]);
    }
    // The thread series: the same thread names per group, the same thread counts. Thread counters start at each
    // exporter's first sight of a thread (process-exporter's rule, which procsight follows): procsight's first sight
    // is one of its cycles after the start, process-exporter's its first scrape.
    for (const [k, v] of a) {
      if (k.startsWith(`${N}thread_count{`)) expect([k, Math.abs(v - (b.get(k) ?? NaN)) <= 1]).toEqual([k, true]);
      if (k.startsWith(`${N}thread_cpu_seconds_total{`)) {
        // Which exporter saw a thread first is a race with the 1 s loop; either way a thread's CPU counted from its
        // first sight is at most its process's whole CPU (the group's cpu_seconds_total, counted from the start).
        const m = /groupname="([^"]+)".*mode="(\w+)"/.exec(k)!;
        const whole = value(a, `${N}cpu_seconds_total`, `groupname="${m[1]}",mode="${m[2]}"`);
        const y = b.get(k) ?? NaN;
        expect([k, v, y, whole, y <= whole + 0.011 && v <= whole + 0.011]).toEqual([k, v, y, whole, true]);
      }
    }
    expect([...a.keys()].filter((k) => k.startsWith(`${N}thread_cpu_seconds_total{`) && (a.get(k) ?? 0) > 0).length).toBeGreaterThan(0);
  }, 30_000);
});

describe("--compat.process-exporter with procsight's own flags and config", () => {
  const services: Service[] = [];
  let fault: FaultHandle | undefined;
  afterAll(async () => {
    await fault?.stop();
    await Promise.all(services.map((s) => s.stop()));
  });

  it("exports process-exporter's series (its defaults: threads, proportional memory) for procsight's groups; without it, none", async () => {
    const name = `pe-compat${process.pid % 1000}`;
    fault = await startFault('idle', { name });
    const configYaml = `groups:\n  - name: '{{.Comm}}'\n    comm: [${name}]\n`;
    const body = async (cli: Partial<CliOptions>) => {
      const svc = await startExporter({ cli, configYaml });
      services.push(svc);
      await svc.collectNow();
      await svc.exposition.refresh('collection');
      return { text: await svc.exposition.body('text') };
    };
    const on = await body({ compatProcessExporter: true });
    expect(on.text).toMatch(new RegExp(`^namedprocess_namegroup_num_procs\\{groupname="${name}"\\} 1$`, 'm'));
    expect(on.text).toMatch(new RegExp(`^namedprocess_namegroup_memory_bytes\\{groupname="${name}",memtype="proportionalResident"\\} [1-9]`, 'm')); // -gather-smaps' default
    expect(on.text).toMatch(new RegExp(`^namedprocess_namegroup_thread_count\\{groupname="${name}",threadname="[^"]+"\\} [1-9]`, 'm')); // -threads' default
    expect(on.text).toMatch(new RegExp(`^procsight_group_processes\\{group="${name}"\\} 1$`, 'm'));
    expect(on.text).toMatch(/^namedprocess_scrape_errors 0$/m);
    const off = await body({});
    expect(off.text).toMatch(new RegExp(`^procsight_group_processes\\{group="${name}"\\} 1$`, 'm'));
    expect(off.text).not.toMatch(/namedprocess_/);
  }, 30_000);
});
