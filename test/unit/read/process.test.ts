import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadError } from '../../../exporter/src/errors';
import { classify, readProcessIdentity, readProcessSample, utf8 } from '../../../exporter/src/read/process';
import { ProcFs } from '../../../exporter/src/read/procfs';
import { errno, FIXTURES_PROC, RefusingProcFs } from '../../helpers/procfs';

describe('process names and command lines are UTF-8 (real /proc)', () => {
  let dir: string;
  let child: ChildProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'procsight-utf8-'));
    const exe = join(dir, 'café-wörker'); // 13 bytes: fits comm's 15
    copyFileSync('/bin/sh', exe);
    child = spawn(exe, ['-c', 'sleep 30; echo zürich'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 200));
  });
  afterAll(() => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads comm and argv of a process named café-wörker as written', () => {
    const { identity: id } = readProcessIdentity(new ProcFs(), child.pid!, { usernames: new Map() });
    expect(id.comm).toBe('café-wörker');
    expect(id.argv).toEqual([join(dir, 'café-wörker'), '-c', 'sleep 30; echo zürich']);
    expect(id.cmdline).toContain('zürich');
  });

  it("replaces bytes that are not UTF-8 (a character cut at comm's 15-byte limit) instead of mis-decoding them", () => {
    const cut = Buffer.from('abcdefghijklmnö', 'utf8').subarray(0, 15).toString('latin1'); // 'ö' cut after its first byte
    expect(utf8(cut)).toBe('abcdefghijklmn\uFFFD');
    expect(utf8('plain-ascii')).toBe('plain-ascii');
  });
});

describe('classify', () => {
  it.each([
    ['ENOENT', false, 'vanished'],
    ['ESRCH', true, 'vanished'],
    ['EACCES', false, 'permission'],
    ['EPERM', false, 'permission'],
    ['EACCES', true, 'protected'],
    ['EPERM', true, 'protected'],
    ['EISDIR', true, 'io'],
    ['EIO', false, 'io'],
  ])('maps %s (privileged reader: %s) to %s', (code, privileged, reason) => {
    expect(classify(errno(code), { privileged })).toBe(reason);
  });

  it("counts a refusal as permission when the reader's privileges are not given", () => {
    expect(classify(errno('EACCES'))).toBe('permission');
  });

  it('keeps the reason of a ReadError', () => {
    expect(classify(new ReadError('parse', 'x'), { privileged: true })).toBe('parse');
  });
});

describe('readProcessSample with a refused file', () => {
  const fs = new RefusingProcFs(new Set(['1/io']));

  it('counts it as protected for a privileged exporter, names the file, and keeps the other fields', () => {
    const r = readProcessSample(fs, 1, { threadTaskCap: 256, privileged: true });
    expect(r.errors).toEqual({ protected: 1 });
    expect(r.missing).toEqual([{ pid: 1, field: 'io', file: join(FIXTURES_PROC, '1', 'io'), reason: 'protected' }]);
    expect(r.sample.readBytes).toBeNull();
    expect(r.sample.writeBytes).toBeNull();
    expect(r.sample.rssBytes).not.toBeNull();
    expect(r.sample.openFds).toBeGreaterThan(0);
  });

  it('counts it as permission for an unprivileged exporter', () => {
    const r = readProcessSample(fs, 1, { threadTaskCap: 256 });
    expect(r.errors).toEqual({ permission: 1 });
    expect(r.missing.map((m) => m.reason)).toEqual(['permission']);
  });

  it('counts nothing when nothing is refused', () => {
    const r = readProcessSample(new ProcFs(FIXTURES_PROC), 1, { threadTaskCap: 256, privileged: true });
    expect(r.errors).toEqual({});
    expect(r.missing).toEqual([]);
  });
});

describe('where a process may run and where it ran (fixtures)', () => {
  const fs = new ProcFs(FIXTURES_PROC);

  it('reads the affinity and the CPU it last ran on with the sample', () => {
    const worker = readProcessSample(fs, 101, { threadTaskCap: 256 }).sample;
    expect(worker.cpusAllowed).toEqual([1]);
    expect(worker.processor).toBe(1);
    expect(readProcessSample(fs, 300, { threadTaskCap: 256 }).sample.cpusAllowed).toEqual([0, 1]);
    // A status without the line: unknown, not "no CPU".
    expect(readProcessSample(fs, 1, { threadTaskCap: 256 }).sample.cpusAllowed).toBeNull();
  });

  it('keeps the last affinity known when status cannot be read', () => {
    const first = readProcessSample(fs, 101, { threadTaskCap: 256 }).sample;
    const refused = new RefusingProcFs(new Set(['101/status']));
    const again = readProcessSample(refused, 101, { threadTaskCap: 256, previous: first, refresh: true }).sample;
    expect(again.cpusAllowed).toEqual([1]);
    expect(again.rssBytes).toBeNull();
  });

  it('reads the cgroup of each resource controller with the identity', () => {
    const id = readProcessIdentity(fs, 100, { usernames: new Map() }).identity;
    expect(id.controllerCgroups).toEqual({
      cpu: '/system.slice/nginx.service',
      cpuset: '/system.slice/nginx.service',
      memory: '/system.slice/nginx.service',
      io: '/system.slice/nginx.service',
    });
  });
});
