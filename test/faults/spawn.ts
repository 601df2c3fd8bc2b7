import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type FaultKind =
  | 'cpu-hog'
  | 'leaker'
  | 'io-writer'
  | 'lock-contention'
  | 'fd-leak'
  | 'thread-explosion'
  | 'net-talker'
  | 'idle'
  | 'latency-worker'
  | 'fsync-service'
  | 'cache-reader';

/** Fault programs in Python (they need what Node lacks: cache-reader maps a file); the others run on Node. */
const PYTHON: ReadonlySet<FaultKind> = new Set(['cache-reader']);
const PYTHON_BIN = '/usr/bin/python3';

export interface FaultHandle {
  pid: number;
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const PROGRAMS = join(__dirname, 'programs');

/** The address of v0 in a fault's own network namespace (TEST-NET-1, RFC 5737); its broadcast is NETNS_BROADCAST. */
const NETNS_ADDRESS = '192.0.2.1';
export const NETNS_BROADCAST = '192.0.2.255';
const NETNS_SETUP = [
  'ip link set lo up',
  'ip link add v0 type veth peer name v1',
  `ip addr add ${NETNS_ADDRESS}/24 dev v0`,
  'ip link set v0 up',
  'ip link set v1 up',
  'exec "$0" "$@"',
].join(' && ');

/**
 * Starts a real faulty process under its own process name: node is exec'd
 * through a symlink called `name`, and comm is the base name of the exec'd
 * path. Resolves once /proc/<pid>/comm shows the name.
 */
export async function startFault(
  kind: FaultKind,
  opts: {
    name: string;
    args?: Record<string, string | number>;
    maxSeconds?: number;
    /** soft and hard open-files limit (via prlimit) */
    fdLimit?: number;
    /**
     * Run in a new network namespace, as a container would (unshare --net, iproute2): loopback
     * up and a veth pair v0 (NETNS_ADDRESS/24) ↔ v1 with both ends inside, so the namespace has
     * counted interfaces and no way out.
     */
    netns?: boolean;
    /** Run only on these CPUs (a CPU list for `taskset -c`, e.g. "0"). */
    cpus?: string;
    /** Start inside this cgroup v1/v2 directory (its cgroup.procs is written before the program is exec'd). */
    cgroup?: string;
  },
): Promise<FaultHandle> {
  if (opts.name.length > 15 || !/^[\w.-]+$/.test(opts.name)) throw new Error(`fault name must be ≤ 15 word characters: ${opts.name}`);
  const dir = mkdtempSync(join(tmpdir(), 'procsight-fault-'));
  const link = join(dir, opts.name);
  symlinkSync(PYTHON.has(kind) ? PYTHON_BIN : process.execPath, link);
  const argv = [join(PROGRAMS, `${kind}.${PYTHON.has(kind) ? 'py' : 'js'}`), `--max-seconds=${opts.maxSeconds ?? 900}`];
  for (const [k, v] of Object.entries(opts.args ?? {})) argv.push(`--${k}=${v}`);
  // Node raises its soft fd limit to the hard one at start, so both are set.
  if (opts.fdLimit && opts.netns) throw new Error('fdLimit and netns cannot be combined');
  if ((opts.cpus || opts.cgroup) && (opts.fdLimit || opts.netns)) throw new Error('cpus and cgroup cannot be combined with fdLimit or netns');
  // Each wrapper execs the next, so the program keeps the wrapper's pid and ends up with its own name.
  const pinned = opts.cpus ? ['taskset', '-c', opts.cpus, link, ...argv] : [link, ...argv];
  const placed = opts.cgroup ? ['sh', '-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', opts.cgroup, ...pinned] : pinned;
  const child = opts.fdLimit
    ? spawn('prlimit', [`--nofile=${opts.fdLimit}:${opts.fdLimit}`, link, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] })
    : opts.netns
      ? spawn('unshare', ['--net', '--', 'sh', '-c', NETNS_SETUP, link, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(placed[0], placed.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${kind}`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    let comm = '';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch (e) {
      throw new Error(`${kind} (${opts.name}) exited at start: ${stderr || String(e)}`);
    }
    if (comm === opts.name) break;
    if (Date.now() > deadline) throw new Error(`${kind}: comm is ${comm}, expected ${opts.name}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    pid,
    name: opts.name,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
