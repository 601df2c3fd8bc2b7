import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../../exporter/src/remediate/actions/run';
import { actionContext } from '../../../helpers/remediation';

describe("run: the operator's script with the alert as JSON on stdin", () => {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-run-'));
  const script = (name: string, body: string): string => {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
    return join(dir, name);
  };

  it('gives the script the alert, the action and the processes on stdin and a small environment; exit 0 is done', async () => {
    const fix = script('fix.sh', `cat > "${dir}/stdin.json"; env > "${dir}/env.txt"; echo fixed "$1"`);
    const ctx = actionContext({ action: 'run', kind: 'fd_exhaustion', command: [fix, 'now'] }, [{ pid: 4242, startTicks: 1, comm: 'api' }]);
    const plan = await run.plan(ctx);
    expect(plan).toEqual({
      ok: true,
      before: { processes: [{ pid: 4242, startTicks: 1, comm: 'api' }] },
      after: { command: [fix, 'now'], timeout_seconds: 60 },
    });
    const r = await run.execute(ctx, null);
    expect(r).toEqual({ ok: true, after: { exit_code: 0, signal: null, timed_out: false, stdout: 'fixed now\n', stderr: '' }, reason: `${fix} exited 0` });
    const input = JSON.parse(readFileSync(join(dir, 'stdin.json'), 'utf8')) as {
      action: { id: string; group: string; kind: string };
      alert: { labels: Record<string, string> };
      processes: Array<{ pid: number }>;
    };
    expect(input.action).toMatchObject({ id: 'act-test', group: 'victims', kind: 'fd_exhaustion' });
    expect(input.alert.labels).toEqual({ group: 'victims', kind: 'cpu_saturation' });
    expect(input.processes.map((p) => p.pid)).toEqual([4242]);
    const env = readFileSync(join(dir, 'env.txt'), 'utf8');
    expect(env).toContain('PROCSIGHT_ACTION_ID=act-test');
    expect(env).toContain('PROCSIGHT_GROUP=victims');
    expect(env).not.toMatch(/^(HOME|JEST_WORKER_ID)=/m); // not the exporter's environment
  });

  it('fails on a non-zero exit or past its timeout (the script is killed)', async () => {
    const bad = script('bad.sh', 'echo "disk full" >&2; exit 4');
    expect(await run.execute(actionContext({ action: 'run', command: [bad] }, []), null)).toMatchObject({
      ok: false,
      reason: `${bad}: exit code 4: disk full`,
    });
    const slow = script('slow.sh', 'sleep 30');
    const t0 = Date.now();
    expect(await run.execute(actionContext({ action: 'run', command: [slow], timeout_seconds: 1 }, []), null)).toMatchObject({
      ok: false,
      reason: `${slow}: timed out and was killed`,
      after: { timed_out: true },
    });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
