/**
 * Contention scenarios: a victim and a culprit as real processes on this
 * machine, watched by the real exporter; does procsight name the culprit of
 * the victim's wait, how fast, and does it name none while the victim is
 * alone? Used by the short CI test (test/eval/contention-short.test.ts) and
 * the 10-run evaluation (eval/faults/contention-run.ts).
 */
import { type ContentionResource, CONTENTION_KIND } from '@procsight/contract';
import { startFault, type FaultHandle, type FaultKind } from '../../test/faults/spawn';
import { sleep, startExporter } from '../../test/helpers/exporter';
import type { Service } from '../../exporter/src/compose';
import { BACKGROUND } from './harness';
import { cgroupUnavailable, createCgroup, type Cgroup, type Controller } from './cgroup';

interface Proc {
  kind: FaultKind;
  name: string;
  args?: Record<string, string | number>;
  /** CPU list it is pinned to (taskset). */
  cpus?: string;
  /** Starts in the scenario's cgroup. */
  inCgroup?: boolean;
  /** Processes of that name (one group); default 1. */
  count?: number;
}

export interface ContentionScenario {
  id: string;
  resource: ContentionResource;
  title: string;
  victim: Proc;
  culprit: Proc;
  /** A fresh cgroup for the processes marked `inCgroup`: a memory limit (bytes) or a CPU weight (v1 shares). */
  cgroup?: { controller: Controller; value: number };
}

const CONTENTION_SCENARIOS: readonly ContentionScenario[] = [
  {
    id: 'cpu',
    resource: 'cpu',
    title:
      'a CPU hog (4 threads, in a cgroup of CPU weight 4× the default) pinned to CPU 0 beside a latency-sensitive worker (2 ms of work every 10 ms) pinned there',
    victim: { kind: 'latency-worker', name: 'quote-api', cpus: '0', args: { 'period-ms': 10, 'work-ms': 2 } },
    culprit: { kind: 'cpu-hog', name: 'batch-export', cpus: '0', args: { threads: 4 }, inCgroup: true },
    cgroup: { controller: 'cpu', value: 4096 },
  },
  {
    id: 'io',
    resource: 'io',
    title: 'a bulk loader (3 processes writing 1 MiB + fdatasync in a loop) beside a small fsync-heavy service (4 KiB + fdatasync every 5 ms)',
    victim: { kind: 'fsync-service', name: 'order-journal', args: { kb: 4, 'period-ms': 5 } },
    culprit: { kind: 'io-writer', name: 'bulk-loader', args: { 'kb-per-write': 1024 }, count: 3 },
  },
  {
    id: 'memory',
    resource: 'memory',
    title: 'a leaker (300 MB/min, up to 200 MB) filling the 256 MiB memory cgroup it shares with a cache reader (150 MB mapped file, random reads)',
    victim: { kind: 'cache-reader', name: 'catalog-cache', args: { mb: 150, 'pages-per-ms': 2 }, inCgroup: true },
    culprit: { kind: 'leaker', name: 'session-store', args: { 'mb-per-min': 300, 'max-mb': 200 }, inCgroup: true },
    cgroup: { controller: 'memory', value: 256 * 1048576 },
  },
];

/**
 * Held-out variants: other rates, sizes, CPU and victim shapes, written down
 * before the rules' thresholds were frozen on the three scenarios above and
 * run once after (`--set held-out`); nothing was adjusted after seeing them.
 */
const HELD_OUT_SCENARIOS: readonly ContentionScenario[] = [
  {
    id: 'cpu-held-out',
    resource: 'cpu',
    title: 'a 2-thread CPU hog (CPU weight 4× the default) pinned to CPU 1 beside a worker doing 5 ms of work every 20 ms pinned there',
    victim: { kind: 'latency-worker', name: 'pricing-api', cpus: '1', args: { 'period-ms': 20, 'work-ms': 5 } },
    culprit: { kind: 'cpu-hog', name: 'report-builder', cpus: '1', args: { threads: 2 }, inCgroup: true },
    cgroup: { controller: 'cpu', value: 4096 },
  },
  {
    id: 'io-held-out',
    resource: 'io',
    title: 'two bulk writers (1 MiB + fdatasync in a loop) beside a service writing 16 KiB + fdatasync every 20 ms',
    victim: { kind: 'fsync-service', name: 'audit-log', args: { kb: 16, 'period-ms': 20 } },
    culprit: { kind: 'io-writer', name: 'backup-agent', args: { 'kb-per-write': 1024 }, count: 2 },
  },
  {
    id: 'memory-held-out',
    resource: 'memory',
    title: 'a leaker (150 MB/min, up to 150 MB) in a 200 MiB memory cgroup beside a cache reader (100 MB mapped file, random reads)',
    victim: { kind: 'cache-reader', name: 'tile-cache', args: { mb: 100, 'pages-per-ms': 2 }, inCgroup: true },
    culprit: { kind: 'leaker', name: 'upload-buffer', args: { 'mb-per-min': 150, 'max-mb': 150 }, inCgroup: true },
    cgroup: { controller: 'memory', value: 200 * 1048576 },
  },
];

/**
 * Second held-out set, written down on 2026-12-07 after the first held-out
 * set had been run and read (so that set is seen now) and before the io and
 * memory mends it prompted (hysteresis of the storage wait, a sequential test
 * for memory_pressure) were made; other thread counts, CPU weight, write
 * sizes and periods, leak rate, cgroup and cache sizes and names than both
 * sets above. Run once, after the mends were frozen (`--set held-out-2`).
 */
const HELD_OUT_2_SCENARIOS: readonly ContentionScenario[] = [
  {
    id: 'cpu-held-out-2',
    resource: 'cpu',
    title: 'a 3-thread CPU hog (CPU weight 2× the default) pinned to CPU 0 beside a worker doing 3 ms of work every 15 ms pinned there',
    victim: { kind: 'latency-worker', name: 'search-api', cpus: '0', args: { 'period-ms': 15, 'work-ms': 3 } },
    culprit: { kind: 'cpu-hog', name: 'model-trainer', cpus: '0', args: { threads: 3 }, inCgroup: true },
    cgroup: { controller: 'cpu', value: 2048 },
  },
  {
    id: 'io-held-out-2',
    resource: 'io',
    title: 'two bulk importers (512 KiB + fdatasync in a loop) beside a ledger writing 8 KiB + fdatasync every 10 ms',
    victim: { kind: 'fsync-service', name: 'ledger-db', args: { kb: 8, 'period-ms': 10 } },
    culprit: { kind: 'io-writer', name: 'etl-import', args: { 'kb-per-write': 512 }, count: 2 },
  },
  {
    id: 'memory-held-out-2',
    resource: 'memory',
    title: 'a leaker (120 MB/min, up to 160 MB) in a 224 MiB memory cgroup beside a cache reader (120 MB mapped file, random reads at half the rate)',
    victim: { kind: 'cache-reader', name: 'feed-ranker', args: { mb: 120, 'pages-per-ms': 1 }, inCgroup: true },
    culprit: { kind: 'leaker', name: 'thumb-worker', args: { 'mb-per-min': 120, 'max-mb': 160 }, inCgroup: true },
    cgroup: { controller: 'memory', value: 224 * 1048576 },
  },
];

/** The scenario sets by the name `--set` takes; the report titles each (./contention-report.ts). */
export const CONTENTION_SETS = { 'in-sample': CONTENTION_SCENARIOS, 'held-out': HELD_OUT_SCENARIOS, 'held-out-2': HELD_OUT_2_SCENARIOS } as const;
export type ContentionSet = keyof typeof CONTENTION_SETS;

export interface ContentionRun {
  scenario: string;
  resource: ContentionResource;
  /** The culprit was named for the victim (for the scenario's resource) before the timeout. */
  named: boolean;
  /** Seconds from the culprit's start to its naming. */
  secondsToName: number | null;
  share: number | null;
  evidence: string | null;
  /** The victim carried a bottleneck label whose entry names the culprit at some point. */
  labelWithCulprit: boolean;
  /** Seconds from the culprit's start to the first such label. */
  secondsToLabel: number | null;
  /** Pairs victim→culprit of the harness's own groups named wrongly (a culprit other than the scenario's, or any culprit while the victim was alone). */
  falseCulprits: string[];
  /** Culprits outside the harness (other people's processes on this shared machine) named for the harness's groups: not judged. */
  foreignCulprits: string[];
  /** Calm phase: the victim alone. Harness pairs named then are false. */
  calmSeconds: number;
  calmCulprits: string[];
  calmForeignCulprits: string[];
  /** Wait labels (cpu_starvation, io_bound, memory_pressure) on the harness's groups while the victim was alone. */
  calmLabels: string[];
  /** Labels of any kind on the background groups (quiet neighbours) during the whole run. */
  quietLabels: string[];
}

export interface ContentionOptions {
  intervalSeconds: number;
  calmSeconds: number;
  timeoutSeconds: number;
  /** Seconds to keep watching after the culprit is named and the victim's label carries it (false culprits named meanwhile count). */
  afterSeconds: number;
  configYaml?: string;
  log?: (line: string) => void;
}

/** Why a scenario cannot run on this machine, or null. */
export function unavailable(s: ContentionScenario): string | null {
  return s.cgroup ? cgroupUnavailable(s.cgroup.controller) : null;
}

/** One run of one scenario with a fresh exporter: calm phase (victim alone), then the culprit. */
export async function runContention(s: ContentionScenario, opts: ContentionOptions): Promise<ContentionRun> {
  const log = opts.log ?? (() => undefined);
  const svc = await startExporter({ cli: { collectIntervalSeconds: opts.intervalSeconds }, configYaml: opts.configYaml });
  const procs: FaultHandle[] = [];
  let cgroup: Cgroup | null = null;
  try {
    for (const b of BACKGROUND) procs.push(await startFault(b.kind, { name: b.name, args: b.args, maxSeconds: 1800 }));
    if (s.cgroup) cgroup = createCgroup(s.cgroup.controller, `procsight-eval-${process.pid}-${Date.now() % 1e6}`, s.cgroup.value);
    const start = async (p: Proc): Promise<void> => {
      for (let i = 0; i < (p.count ?? 1); i++) {
        procs.push(
          await startFault(p.kind, {
            name: p.name,
            args: p.args,
            cpus: p.cpus,
            cgroup: p.inCgroup ? cgroup?.dir : undefined,
            maxSeconds: opts.calmSeconds + opts.timeoutSeconds + opts.afterSeconds + 120,
          }),
        );
      }
    };
    await start(s.victim);
    const harness = new Set([...BACKGROUND.map((b) => b.name), s.victim.name, s.culprit.name]);
    const judge = new Judge(svc, harness, s);

    const calmEnd = Date.now() + opts.calmSeconds * 1000;
    while (Date.now() < calmEnd) {
      await sleep(opts.intervalSeconds * 1000);
      judge.observe({ calm: true });
    }
    log(
      `${s.id}: calm ${opts.calmSeconds}s: harness culprits ${judge.calm.size ? [...judge.calm].join(', ') : 'none'}; foreign ${judge.calmForeign.size ? [...judge.calmForeign].join(', ') : 'none'}`,
    );

    await start(s.culprit);
    const t0 = Date.now();
    let namedAt: number | null = null;
    let labelledAt: number | null = null;
    // Watched until both the contention series and the victim's bottleneck entry name the culprit, then afterSeconds more.
    const doneAt = (): number | null => (namedAt !== null && labelledAt !== null ? Math.max(namedAt, labelledAt) : null);
    while (Date.now() - t0 < opts.timeoutSeconds * 1000) {
      const done = doneAt();
      if (done !== null && Date.now() - done >= opts.afterSeconds * 1000) break;
      await sleep(opts.intervalSeconds * 1000);
      if (judge.observe({ calm: false }) && namedAt === null) namedAt = Date.now();
      if (judge.labelled && labelledAt === null) labelledAt = Date.now();
    }
    const r: ContentionRun = {
      scenario: s.id,
      resource: s.resource,
      named: namedAt !== null,
      secondsToName: namedAt === null ? null : (namedAt - t0) / 1000,
      share: judge.share,
      evidence: judge.evidence,
      labelWithCulprit: judge.labelled,
      secondsToLabel: labelledAt === null ? null : (labelledAt - t0) / 1000,
      falseCulprits: [...judge.wrong],
      foreignCulprits: [...judge.foreign],
      calmSeconds: opts.calmSeconds,
      calmCulprits: [...judge.calm],
      calmForeignCulprits: [...judge.calmForeign],
      calmLabels: [...judge.calmLabels],
      quietLabels: [...judge.quietLabels],
    };
    log(
      `${s.id}: named=${r.named} in ${r.secondsToName ?? '—'}s share=${r.share ?? '—'} label=${r.labelWithCulprit} in ${r.secondsToLabel ?? '—'}s calm labels=${r.calmLabels.join(',') || 'none'} quiet labels=${r.quietLabels.join(',') || 'none'} false=${r.falseCulprits.join(',') || 'none'} foreign=${r.foreignCulprits.join(',') || 'none'}${r.evidence ? `\n  "${r.evidence}"` : ''}`,
    );
    return r;
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await cgroup?.remove();
    await svc.stop();
  }
}

/** The labels of waits another group can cause. */
const WAIT_KINDS: ReadonlySet<string> = new Set(Object.values(CONTENTION_KIND));
const QUIET: ReadonlySet<string> = new Set(BACKGROUND.map((b) => b.name));

/** Reads the exporter's analysis after each interval and sorts what it names. */
class Judge {
  readonly calm = new Set<string>();
  readonly calmForeign = new Set<string>();
  readonly wrong = new Set<string>();
  readonly foreign = new Set<string>();
  share: number | null = null;
  evidence: string | null = null;
  labelled = false;
  readonly calmLabels = new Set<string>();
  readonly quietLabels = new Set<string>();

  constructor(
    private readonly svc: Service,
    private readonly harness: ReadonlySet<string>,
    private readonly s: ContentionScenario,
  ) {}

  /** Returns whether the scenario's culprit is named for its victim now. */
  observe(phase: { calm: boolean }): boolean {
    const a = this.svc.state.analysis();
    let right = false;
    for (const v of a?.contention ?? []) {
      for (const c of v.culprits) {
        const pair = `${v.group}→${c.group} (${v.resource})`;
        const mine = this.harness.has(v.group) || this.harness.has(c.group);
        if (!mine) continue; // other people's processes among themselves: not this evaluation's business
        const isRight = !phase.calm && v.group === this.s.victim.name && c.group === this.s.culprit.name && v.resource === this.s.resource;
        if (isRight) {
          right = true;
          this.share = c.share;
          this.evidence = c.evidence;
        } else if (!this.harness.has(c.group)) (phase.calm ? this.calmForeign : this.foreign).add(pair);
        else (phase.calm ? this.calm : this.wrong).add(pair);
      }
    }
    for (const b of a?.bottlenecks ?? []) {
      if (QUIET.has(b.group)) this.quietLabels.add(`${b.group}: ${b.kind}`);
      if (phase.calm && this.harness.has(b.group) && WAIT_KINDS.has(b.kind)) this.calmLabels.add(`${b.group}: ${b.kind}`);
      if (!phase.calm && b.group === this.s.victim.name && b.culprits.some((c) => c.group === this.s.culprit.name)) this.labelled = true;
    }
    return right;
  }
}
