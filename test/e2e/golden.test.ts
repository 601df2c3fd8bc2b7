import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runExporter, waitReady, type RunningBinary } from '../helpers/binary';

/**
 * The real binary on the checked-in /proc fixtures → /metrics → volatile
 * lines dropped → compared with the golden file, which must exist. Update
 * it with `UPDATE_GOLDEN=1 npx jest test/e2e/golden`.
 */
const GOLDEN = join(ROOT, 'test', 'fixtures', 'golden', 'metrics.prom');
const VOLATILE = [
  /^procsight_build_info/,
  /^procsight_host_info/,
  /duration_seconds/,
  /timestamp_seconds/,
  /^procsight_collect_errors_total/,
  /^procsight_collect_processes_total/,
  /^procsight_api_errors_total/,
  // the exporter's own process (CPU, memory, fds, start time)
  /^process_/,
];

export function stable(text: string): string {
  const names = new Set<string>();
  const keep = text.split('\n').filter((line) => {
    const name = /^(?:# (?:HELP|TYPE) )?([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line)?.[1] ?? '';
    if (VOLATILE.some((re) => re.test(name))) return false;
    if (line && !line.startsWith('#')) names.add(name);
    return line.length > 0;
  });
  return keep.join('\n') + '\n';
}

describe('golden end-to-end on fixtures/proc', () => {
  let exp: RunningBinary;
  let body = '';
  beforeAll(async () => {
    exp = await runExporter([`--path.procfs=${join(ROOT, 'test', 'fixtures', 'proc')}`, '--path.cgroupfs=/nonexistent', '--collect.interval=1s']);
    await waitReady(`${exp.url}/readyz`);
    body = await (await fetch(`${exp.url}/metrics`)).text();
  });
  afterAll(async () => {
    await exp?.stop();
  });

  it('matches the golden file', () => {
    const got = stable(body);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, got);
    // A missing golden file is a failure, never silently written: UPDATE_GOLDEN=1 writes it.
    expect(existsSync(GOLDEN) ? 'present' : `missing: ${GOLDEN} (run with UPDATE_GOLDEN=1 to write it)`).toBe('present');
    expect(got).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('passes promtool check metrics', () => {
    const out = execFileSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(out).toBe('');
  });

  it('counts the process that vanished between listing and reading', () => {
    expect(Number(/^procsight_collect_errors_total\{reason="vanished"\} (\d+)/m.exec(body)?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('sums context switches and run-queue wait over all threads of a multi-threaded process', () => {
    expect(body).toContain('procsight_group_context_switches_total{group="java",type="voluntary"} 35010');
    expect(body).toContain('procsight_group_cpu_wait_seconds_total{group="java"} 7.000001');
  });

  it('groups odd names and kernel threads, and exports no command line', () => {
    expect(body).toContain('procsight_group_processes{group="weird) (name"} 1');
    expect(body).toContain('procsight_group_processes{group="tmux: server"} 1');
    expect(body).toContain('procsight_group_processes{group="kernel_threads"} 2');
    expect(body).toContain('procsight_group_states{group="defunct-child",state="zombie"} 1');
    expect(body).not.toContain('hunter2');
  });

  it('exits cleanly on SIGTERM', async () => {
    expect(await exp.stop()).toBe(0);
  });
});
