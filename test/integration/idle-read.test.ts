import { spawn, type ChildProcess } from 'node:child_process';
import { readProcessSample } from '../../exporter/src/read/process';
import { ProcFs } from '../../exporter/src/read/procfs';

/** A ProcFs that counts the files read under each pid. */
class CountingProcFs extends ProcFs {
  readonly reads: string[] = [];
  override read(...parts: Array<string | number>): string {
    this.reads.push(parts.slice(1).join('/'));
    return super.read(...parts);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A process that has not run since the last cycle costs one cheap read (real
 * processes, real /proc); one that ran, or a refresh, gets a full read.
 */
describe('reading an idle process', () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

  it('single-threaded and asleep: one read (schedstat), the last sample carried over; a refresh reads it fully', async () => {
    const child = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(child);
    await sleep(200);
    const fs = new CountingProcFs();
    const first = readProcessSample(fs, child.pid!, { threadTaskCap: 16 }).sample;
    expect(first.threads).toBe(1);
    expect(first.timeslices).not.toBeNull();
    fs.reads.length = 0;
    const again = readProcessSample(fs, child.pid!, { threadTaskCap: 16, previous: first });
    expect(fs.reads).toEqual(['schedstat']);
    expect(again.sample).toEqual(first);
    fs.reads.length = 0;
    const refreshed = readProcessSample(fs, child.pid!, { threadTaskCap: 16, previous: first, refresh: true }).sample;
    expect(fs.reads).toEqual(expect.arrayContaining(['stat', 'status']));
    expect(refreshed.rssBytes).toBeGreaterThan(0);
  });

  it('single-threaded and busy: a full read whose counters moved', async () => {
    const child = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    children.push(child);
    await sleep(200);
    const fs = new CountingProcFs();
    const first = readProcessSample(fs, child.pid!, { threadTaskCap: 16 }).sample;
    await sleep(300);
    fs.reads.length = 0;
    const next = readProcessSample(fs, child.pid!, { threadTaskCap: 16, previous: first }).sample;
    expect(fs.reads).toEqual(expect.arrayContaining(['schedstat', 'stat', 'status', 'io']));
    expect(fs.reads.filter((r) => r === 'schedstat')).toHaveLength(1);
    expect(next.cpuUserSeconds + next.cpuSystemSeconds).toBeGreaterThan(first.cpuUserSeconds + first.cpuSystemSeconds);
    expect(next.timeslices).not.toBe(first.timeslices);
  });

  it('multi-threaded and idle: one read (stat), no per-thread files', async () => {
    // A Node.js process holds several threads (libuv pool, V8 platform) and sleeps on a long timer.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(child);
    await sleep(1500);
    const fs = new CountingProcFs();
    let prev = readProcessSample(fs, child.pid!, { threadTaskCap: 64 }).sample;
    expect(prev.threads).toBeGreaterThan(1);
    // Allow the runtime's last start-up work to settle: within a few tries a cycle sees it idle.
    let idleReads: string[] | null = null;
    for (let i = 0; i < 10 && idleReads === null; i++) {
      await sleep(200);
      fs.reads.length = 0;
      const r = readProcessSample(fs, child.pid!, { threadTaskCap: 64, previous: prev }).sample;
      if (fs.reads.length === 1) idleReads = [...fs.reads];
      prev = r;
    }
    expect(idleReads).toEqual(['stat']);
  });
});
