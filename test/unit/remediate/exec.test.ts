import { describeFailure, execCommand } from '../../../exporter/src/remediate/exec';

describe('running a command for an action', () => {
  it('passes stdin, collects bounded output and the exit code, never through a shell', async () => {
    const r = await execCommand('/bin/sh', ['-c', 'cat; echo err >&2; exit 3'], { stdin: 'hello; rm -rf /', timeoutMs: 5000 });
    expect(r).toEqual({ code: 3, signal: null, stdout: 'hello; rm -rf /', stderr: 'err\n', timedOut: false, spawnError: null });
    expect(describeFailure('fix', r)).toBe('fix: exit code 3: err');
    const big = await execCommand('/bin/sh', ['-c', 'head -c 100000 /dev/zero | tr "\\0" x'], { timeoutMs: 5000, maxOutput: 10 });
    expect(big.stdout).toBe('x'.repeat(10));
  });

  it('kills a command past its timeout and reports one that cannot start', async () => {
    const t0 = Date.now();
    const slow = await execCommand('/bin/sleep', ['30'], { timeoutMs: 200 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(slow).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    expect(describeFailure('sleep', slow)).toBe('sleep: timed out and was killed');
    const missing = await execCommand('/nonexistent/fix', [], { timeoutMs: 1000 });
    expect(missing.spawnError).toBe('ENOENT');
    expect(describeFailure('fix', missing)).toBe('fix: cannot run (ENOENT)');
  });
});
