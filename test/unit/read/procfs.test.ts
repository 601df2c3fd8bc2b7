import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { heldFileBudget, ProcFs, readSmallFile } from '../../../exporter/src/read/procfs';

/** This process's open descriptors on `path` (other descriptors come and go with Jest's own work). */
const openOn = (path: string): number =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false; // closed meanwhile
    }
  }).length;

describe('ProcFs', () => {
  it('joins paths onto its root', () => {
    expect(new ProcFs('/proc').path(12, 'task', 13, 'stat')).toBe('/proc/12/task/13/stat');
    expect(new ProcFs('/').path('stat')).toBe('/stat');
  });

  it("readHeld reads a live process's file afresh each time through one kept descriptor, and closes it when released", async () => {
    const fs = new ProcFs('/proc');
    fs.holdUpTo(10);
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 5000; while (Date.now() < end);'], { stdio: 'ignore' });
    try {
      const path = `/proc/${child.pid}/schedstat`;
      const first = fs.readHeld(child.pid!, 'schedstat');
      expect(openOn(path)).toBe(1);
      // The busy child runs meanwhile: wait (bounded) until its CPU time has moved.
      let second = first;
      for (let i = 0; i < 40 && second.split(' ')[0] === first.split(' ')[0]; i++) {
        await new Promise((r) => setTimeout(r, 50));
        second = fs.readHeld(child.pid!, 'schedstat');
      }
      expect(openOn(path)).toBe(1);
      // It moved (the busy loop ran meanwhile), and a fresh open right after reads the same process, a little later.
      const ns = (text: string) => Number(text.split(' ')[0]);
      expect(ns(second)).toBeGreaterThan(ns(first));
      expect(ns(readSmallFile(`/proc/${child.pid}/schedstat`))).toBeGreaterThanOrEqual(ns(second));
      fs.releaseHeld([1, child.pid!]);
      expect(openOn(path)).toBe(1); // still listed: kept
      fs.releaseHeld([1]);
      expect(openOn(path)).toBe(0);
    } finally {
      child.kill('SIGKILL');
      fs.close();
    }
  });

  it('readHeld of an exited process fails like a plain read (ENOENT after the retry), holding nothing', async () => {
    const fs = new ProcFs('/proc');
    fs.holdUpTo(10);
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    fs.readHeld(child.pid!, 'schedstat');
    expect(openOn(`/proc/${child.pid}/schedstat`)).toBe(1);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    await new Promise((r) => setTimeout(r, 100));
    expect(() => fs.readHeld(child.pid!, 'schedstat')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(openOn(`/proc/${child.pid}/schedstat`)).toBe(0);
    // The dead process's descriptor is gone too: none left under its pid.
    expect(
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(`/proc/${child.pid}/`);
        } catch {
          return false;
        }
      }),
    ).toEqual([]);
  });

  it('readHeld past maxHeld reads plainly, and another file of the same pid replaces the held one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'procsight-procfs-'));
    try {
      const root = join(dir, 'proc');
      for (const pid of [1, 2]) {
        const d = join(root, String(pid));
        mkdirSync(d, { recursive: true });
        writeFileSync(join(d, 'stat'), `stat of ${pid}`);
        writeFileSync(join(d, 'schedstat'), `schedstat of ${pid}`);
      }
      const fs = new ProcFs(root);
      fs.holdUpTo(1);
      const held = () => openOn(join(root, '1', 'stat')) + openOn(join(root, '1', 'schedstat')) + openOn(join(root, '2', 'stat'));
      expect(fs.readHeld(1, 'stat')).toBe('stat of 1');
      expect(fs.readHeld(2, 'stat')).toBe('stat of 2');
      expect(openOn(join(root, '1', 'stat'))).toBe(1);
      expect(held()).toBe(1);
      // Rewritten in place: the held descriptor sees the new content.
      writeFileSync(join(root, '1', 'stat'), 'stat of 1, later');
      expect(fs.readHeld(1, 'stat')).toBe('stat of 1, later');
      expect(fs.readHeld(1, 'schedstat')).toBe('schedstat of 1');
      expect(openOn(join(root, '1', 'schedstat'))).toBe(1);
      expect(held()).toBe(1);
      fs.close();
      expect(held()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('heldFileBudget is a quarter of the soft limit on open files, at most 16,384', () => {
    const limits = (soft: string) =>
      `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                 524288               files\n`;
    expect(heldFileBudget(limits('1024'))).toBe(256);
    expect(heldFileBudget(limits('1048576'))).toBe(16_384);
    expect(heldFileBudget(limits('unlimited'))).toBe(16_384);
    expect(heldFileBudget('garbage')).toBe(0);
  });
});
