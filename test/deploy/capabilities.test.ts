/**
 * Why the DaemonSet runs as uid 0 with two capabilities rather than as a
 * non-root uid with the same two, checked on this kernel: each security
 * context is reproduced with setpriv (uid, bounding set, no inheritable or
 * ambient capabilities, no_new_privs: what runc gives a Kubernetes container,
 * which never sets ambient capabilities), and Node run inside it tries to read
 * /proc/<pid>/io and list /proc/<pid>/fd of a process of another uid, the two
 * reads the README says need CAP_SYS_PTRACE + CAP_DAC_READ_SEARCH.
 * The systemd unit's context (non-root + AmbientCapabilities) is checked the same way.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { findKind, render } from './manifests';
import { capNames, readUnit } from './unit-file';

interface SecurityContext {
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
}
interface Outcome {
  io: string;
  fd: string;
  capEff: string;
}

const OTHER_UID = 4242;
/** The ambient capabilities an unprivileged uid keeps (systemd: AmbientCapabilities=). */
const DYNAMIC_UID = 61234;
const CAP_BITS: Record<string, number> = { DAC_READ_SEARCH: 2, SYS_PTRACE: 19 };

const mask = (caps: string[]): string =>
  caps
    .reduce((m, c) => m | (1n << BigInt(CAP_BITS[c])), 0n)
    .toString(16)
    .padStart(16, '0');

const READER = `
const fs = require('fs');
const pid = process.argv[1];
const attempt = (f) => { try { f(); return 'ok'; } catch (e) { return e.code; } };
console.log(JSON.stringify({
  io: attempt(() => fs.readFileSync('/proc/' + pid + '/io')),
  fd: attempt(() => fs.readdirSync('/proc/' + pid + '/fd')),
  capEff: /CapEff:\\s*(\\w+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1],
}));`;

/** Runs the reader as `uid` with exactly `caps` in the bounding set, none inheritable; `ambient` adds them to the ambient set. */
function readAs(opts: { uid: number; caps: string[]; noNewPrivs: boolean; ambient: boolean; pid: number }): Outcome {
  const caps = opts.caps.map((c) => `+${c.toLowerCase()}`);
  const args = [`--reuid=${opts.uid}`, `--regid=${opts.uid}`, '--clear-groups', `--bounding-set=${['-all', ...caps].join(',')}`];
  args.push(opts.ambient && caps.length > 0 ? `--inh-caps=${caps.join(',')}` : '--inh-caps=-all');
  if (opts.ambient && caps.length > 0) args.push(`--ambient-caps=${caps.join(',')}`);
  if (opts.noNewPrivs) args.push('--no-new-privs');
  const r = spawnSync('setpriv', [...args, '--', process.execPath, '-e', READER, String(opts.pid)], { encoding: 'utf8', timeout: 15_000 });
  if (r.status !== 0) throw new Error(`setpriv ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as Outcome;
}

const containerContext = (dir: string): SecurityContext => {
  const ds = findKind<{ spec: { template: { spec: { containers: Array<{ securityContext: SecurityContext }> } } } }>(render(dir), 'DaemonSet');
  return ds.spec.template.spec.containers[0].securityContext;
};
/** What a container with this security context holds after exec: drop ALL + add, nothing ambient. */
const k8sCaps = (sc: SecurityContext): string[] => {
  expect(sc.capabilities?.drop).toEqual(['ALL']);
  return [...(sc.capabilities?.add ?? [])].sort();
};

describe("capabilities on this kernel: who can read another user's /proc/<pid>/io and fd/", () => {
  let target: ChildProcess;

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error('this test changes uids and capabilities with setpriv: run it as root (CI does)');
    if (spawnSync('setpriv', ['--version']).status !== 0) throw new Error('setpriv (util-linux) is not installed: .ci/run installs it');
    target = spawn('setpriv', [`--reuid=${OTHER_UID}`, `--regid=${OTHER_UID}`, '--clear-groups', '--', 'sleep', '60'], { stdio: 'ignore' });
    // setpriv execs sleep in place: the pid is the target's once the uid has changed.
    for (let i = 0; i < 50; i++) {
      const status = spawnSync('cat', [`/proc/${target.pid}/status`], { encoding: 'utf8' }).stdout;
      if (/^Uid:\s+4242\b/m.test(status) && /^Name:\s+sleep$/m.test(status)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the target process did not start as uid 4242');
  });
  afterAll(() => {
    target?.kill('SIGKILL');
  });

  it('the base DaemonSet (uid 0, drop ALL, add SYS_PTRACE + DAC_READ_SEARCH, no privilege escalation) reads both and holds exactly the two', () => {
    const sc = containerContext('base');
    const caps = k8sCaps(sc);
    const out = readAs({ uid: sc.runAsUser ?? -1, caps, noNewPrivs: sc.allowPrivilegeEscalation === false, ambient: false, pid: target.pid! });
    expect(out).toEqual({ io: 'ok', fd: 'ok', capEff: mask(['DAC_READ_SEARCH', 'SYS_PTRACE']) });
  });

  it('the same capabilities under a non-root uid are lost at exec (no ambient set in Kubernetes): why the DaemonSet is uid 0', () => {
    const caps = k8sCaps(containerContext('base'));
    const out = readAs({ uid: 65534, caps, noNewPrivs: true, ambient: false, pid: target.pid! });
    expect(out).toEqual({ io: 'EACCES', fd: 'EACCES', capEff: mask([]) });
  });

  it('uid 0 without the two capabilities cannot read them either: uid 0 alone grants nothing here', () => {
    const out = readAs({ uid: 0, caps: [], noNewPrivs: true, ambient: false, pid: target.pid! });
    expect(out).toEqual({ io: 'EACCES', fd: 'EACCES', capEff: mask([]) });
  });

  it('each capability alone is not enough for the I/O counters', () => {
    for (const only of ['SYS_PTRACE', 'DAC_READ_SEARCH']) {
      const out = readAs({ uid: 0, caps: [only], noNewPrivs: true, ambient: false, pid: target.pid! });
      expect({ only, io: out.io }).toEqual({ only, io: 'EACCES' });
    }
  });

  it('the non-root overlay (uid 65534, no capability) cannot: the data it gives up', () => {
    const sc = containerContext('overlays/non-root');
    const out = readAs({ uid: sc.runAsUser ?? -1, caps: k8sCaps(sc), noNewPrivs: true, ambient: false, pid: target.pid! });
    expect(sc.runAsUser).toBe(65534);
    expect(out).toEqual({ io: 'EACCES', fd: 'EACCES', capEff: mask([]) });
  });

  it('the systemd unit (a dynamic non-root uid, the two as ambient and bounding capabilities, NoNewPrivileges) reads both', () => {
    const svc = readUnit().Service;
    const ambient = capNames(svc.AmbientCapabilities?.join(' '));
    expect(capNames(svc.CapabilityBoundingSet?.join(' '))).toEqual(ambient);
    expect(svc.DynamicUser).toEqual(['yes']);
    const out = readAs({ uid: DYNAMIC_UID, caps: ambient, noNewPrivs: svc.NoNewPrivileges?.[0] === 'yes', ambient: true, pid: target.pid! });
    expect(out).toEqual({ io: 'ok', fd: 'ok', capEff: mask(['DAC_READ_SEARCH', 'SYS_PTRACE']) });
  });
});
