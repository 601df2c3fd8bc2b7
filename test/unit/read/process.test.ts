import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProcessIdentity, utf8 } from '../../../exporter/src/read/process';
import { ProcFs } from '../../../exporter/src/read/procfs';

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

  it('replaces bytes that are not UTF-8 (a character cut at comm\'s 15-byte limit) instead of mis-decoding them', () => {
    const cut = Buffer.from('abcdefghijklmnö', 'utf8').subarray(0, 15).toString('latin1'); // 'ö' cut after its first byte
    expect(utf8(cut)).toBe('abcdefghijklmn\uFFFD');
    expect(utf8('plain-ascii')).toBe('plain-ascii');
  });
});
