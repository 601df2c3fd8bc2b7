import { readdirSync, readFileSync } from 'node:fs';
import { startFault, type FaultHandle } from './spawn';

const status = (pid: number, key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
const taskSwitches = (pid: number): number =>
  readdirSync(`/proc/${pid}/task`).reduce((s, t) => {
    try {
      return s + Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return s; // thread exited between readdir and read
    }
  }, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fault programs (real processes)', () => {
  const started: FaultHandle[] = [];
  afterAll(async () => {
    await Promise.all(started.map((f) => f.stop()));
  });
  const start = async (...a: Parameters<typeof startFault>) => {
    const f = await startFault(...a);
    started.push(f);
    return f;
  };

  it('run under their own process name and show their signature in /proc', async () => {
    const leak = await start('leaker', { name: 'fp-leaker', args: { 'mb-per-min': 120 } });
    const fds = await start('fd-leak', { name: 'fd-hoarder', args: { 'per-sec': 50 } });
    const lock = await start('lock-contention', { name: 'lock-storm', args: { threads: 8 } });
    const threads = await start('thread-explosion', { name: 'thread-bomb', args: { 'per-sec': 4 } });
    await sleep(500);
    const rss0 = status(leak.pid, 'VmRSS');
    const fd0 = readdirSync(`/proc/${fds.pid}/fd`).length;
    const sw0 = taskSwitches(lock.pid);
    const th0 = status(threads.pid, 'Threads');
    await sleep(2500);
    expect(readFileSync(`/proc/${leak.pid}/comm`, 'utf8').trim()).toBe('fp-leaker');
    expect(status(leak.pid, 'VmRSS') - rss0).toBeGreaterThan(2 * 1024); // kB: > 2 MB in 2.5 s at 120 MB/min
    expect(readdirSync(`/proc/${fds.pid}/fd`).length - fd0).toBeGreaterThanOrEqual(50);
    expect(taskSwitches(lock.pid) - sw0).toBeGreaterThan(1000);
    expect(status(threads.pid, 'Threads') - th0).toBeGreaterThanOrEqual(4);
  });

  it('stop and leave nothing running', async () => {
    const hog = await startFault('cpu-hog', { name: 'cpu-burner' });
    await hog.stop();
    expect(hog.child.exitCode !== null || hog.child.signalCode !== null).toBe(true);
  });
});
