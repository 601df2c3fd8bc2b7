import { spawn } from 'node:child_process';
import { eligibleTargets, stillSame, threadsOf } from '../../../exporter/src/remediate/targets';
import { identity } from '../../helpers/synthetic';
import { statField } from '../../helpers/remediation';

describe('processes remediation may act on', () => {
  it('never includes pid 1, kernel threads, what kthreadd started, or the exporter', () => {
    const procs = [
      identity(1, 'init'),
      identity(2, 'kthreadd', { kernelThread: true }),
      identity(40, 'kworker/0:1', { ppid: 2 }),
      identity(41, 'ksoftirqd/0', { kernelThread: true }),
      identity(500, 'procsight'),
      identity(900, 'batch'),
      identity(800, 'batch'),
    ].map((identity) => ({ identity }));
    const { targets, excluded } = eligibleTargets(procs, 500);
    expect(targets).toEqual([
      { pid: 800, startTicks: 1800, comm: 'batch' },
      { pid: 900, startTicks: 1900, comm: 'batch' },
    ]);
    expect(excluded.map((e) => [e.pid, e.why])).toEqual([
      [1, 'pid_1'],
      [2, 'kernel_thread'],
      [40, 'kthreadd_child'],
      [41, 'kernel_thread'],
      [500, 'exporter'],
    ]);
  });

  it('checks a real process is still the one seen (pid and start time) and lists its threads', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = child.pid as number;
    const startTicks = statField(pid, 22);
    expect(stillSame('/proc', { pid, startTicks, comm: 'sleep' })).toBe(true);
    expect(stillSame('/proc', { pid, startTicks: startTicks + 1, comm: 'sleep' })).toBe(false); // a reused pid
    expect(threadsOf('/proc', pid)).toEqual([pid]);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill();
    await exited;
    expect(stillSame('/proc', { pid, startTicks, comm: 'sleep' })).toBe(false);
    expect(threadsOf('/proc', pid)).toEqual([]);
  });
});
