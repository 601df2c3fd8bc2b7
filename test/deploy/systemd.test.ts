import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './manifests';
import { exporterLaunchEnv, exporterNodeFlags } from '../../scripts/node-flags';
import { capNames, readUnit, UNIT_PATH } from './unit-file';

const configDoc = readFileSync(join(ROOT, 'docs', 'config.md'), 'utf8');
const KNOWN_FLAGS = new Set([...configDoc.matchAll(/^\| `(--[\w.-]+)` \|/gm)].map((m) => m[1]));

/** systemd-analyze works on unit files without systemd as pid 1 (Debian's systemd package). */
function analyze(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('systemd-analyze', args, { encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw new Error(`systemd-analyze (Debian package systemd; .ci/run installs it) could not run: ${r.error.message}`);
  return r;
}

/** The unit with ExecStart's /usr/bin/node swapped for the node running this test, where a machine keeps it elsewhere. */
function withThisNode(fn: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-unit-'));
  try {
    const path = join(dir, 'procsight.service');
    writeFileSync(path, readFileSync(UNIT_PATH, 'utf8').replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
    fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('deploy/systemd/procsight.service', () => {
  const unit = readUnit();
  const svc = unit.Service;

  it('passes systemd-analyze verify with no warning (unknown keys and bad values only warn)', () => {
    withThisNode((path) => {
      const r = analyze(['verify', '--man=no', path]);
      expect({ status: r.status, stderr: r.stderr.trim() }).toEqual({ status: 0, stderr: '' });
    });
  });

  it('has an overall exposure of at most 2.0 in systemd-analyze security (what is left open is listed in the unit)', () => {
    withThisNode((path) => {
      const r = analyze(['security', '--offline=true', '--threshold=20', '--no-pager', path]);
      const score = /Overall exposure level for procsight\.service: ([\d.]+)/.exec(r.stdout);
      expect(score).not.toBeNull();
      expect(Number(score![1])).toBeLessThanOrEqual(2.0);
      expect(r.status).toBe(0);
    });
  });

  it('runs as an unprivileged dynamic user holding only CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH (ambient), without privilege escalation', () => {
    expect(svc.DynamicUser).toEqual(['yes']);
    expect(capNames(svc.AmbientCapabilities?.join(' '))).toEqual(['DAC_READ_SEARCH', 'SYS_PTRACE']);
    expect(capNames(svc.CapabilityBoundingSet?.join(' '))).toEqual(['DAC_READ_SEARCH', 'SYS_PTRACE']);
    expect(svc.NoNewPrivileges).toEqual(['yes']);
  });

  it('cannot call ptrace(2) although it holds CAP_SYS_PTRACE: the syscall filter keeps it to /proc access checks', () => {
    expect(svc.SystemCallFilter?.[0]).toBe('@system-service');
    const r = analyze(['syscall-filter', '@system-service']);
    const allowed = new Set(r.stdout.split('\n').map((l) => l.trim()));
    for (const call of ['ptrace', 'process_vm_readv', 'process_vm_writev', 'pidfd_getfd'])
      expect({ call, allowed: allowed.has(call) }).toEqual({ call, allowed: false });
  });

  it('keeps the file system read-only but its state directory, which --storage.path points at', () => {
    expect(svc.ProtectSystem).toEqual(['strict']);
    expect(svc.ProtectHome).toEqual(['yes']);
    expect(svc.PrivateTmp).toEqual(['yes']);
    expect(svc.StateDirectory).toEqual(['procsight']);
    expect(svc.ReadWritePaths).toBeUndefined();
    expect(svc.ExecStart?.[0]).toContain('--storage.path=%S/procsight');
  });

  it('leaves out the settings that would break it: no ProcSubset=pid, ProtectProc, PrivateUsers or MemoryDenyWriteExecute', () => {
    for (const key of ['ProcSubset', 'ProtectProc', 'PrivateUsers', 'MemoryDenyWriteExecute'])
      expect({ key, value: svc[key] }).toEqual({ key, value: undefined });
  });

  it("starts the built exporter with npm start's Node flags and environment, and only flags the exporter has", () => {
    const [node, ...args] = svc.ExecStart![0].split(/\s+/);
    expect(node).toBe('/usr/bin/node');
    const main = args.indexOf('/opt/procsight/exporter/dist/main.js');
    expect(main).toBeGreaterThan(-1);
    expect(args.slice(0, main)).toEqual(exporterNodeFlags());
    expect(svc.Environment).toEqual(Object.entries(exporterLaunchEnv()).map(([k, v]) => `${k}=${v}`));
    for (const a of args.slice(main + 1).filter((x) => x.startsWith('--')))
      expect({ flag: a, known: KNOWN_FLAGS.has(a.split('=')[0]) }).toEqual({ flag: a, known: true });
    expect(unit.Install.WantedBy).toEqual(['multi-user.target']);
  });
});
