import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExporter, waitReady, type RunningBinary } from '../helpers/binary';
import { sleep } from '../helpers/exporter';

/**
 * State that survives: the real binary learns anomaly baselines, is killed
 * with SIGKILL, and a new one restores them from the checkpoint without a new
 * warm-up; a corrupt checkpoint is ignored with one warning.
 */
describe('checkpointed state across restarts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-state-'));
  const config = join(dir, 'config.yml');
  // Test-sized learning: 10 cells of 5 s = 50 s before the first score (the defaults learn for 12 minutes).
  writeFileSync(config, 'anomaly:\n  detector:\n    cell_seconds: 5\n    baseline_hours: 0.25\n    min_baseline_cells: 10\n    range_lag_minutes: 1\n');
  const args = [`--storage.path=${join(dir, 'state')}`, '--storage.checkpoint-interval=2s', '--collect.interval=1s', `--config.file=${config}`];
  let exp: RunningBinary | null = null;
  afterAll(async () => {
    await exp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Series being scored (not learning). */
  const anomalies = async (url: string): Promise<number> => {
    const r = await fetch(`${url}/api/v1/anomalies?state=scoring`);
    if (!r.ok) return 0;
    return ((await r.json()) as { anomalies: unknown[] }).anomalies.length;
  };

  it('restores learned baselines after kill -9 without a new warm-up', async () => {
    exp = await runExporter(args);
    const deadline = Date.now() + 90_000;
    while ((await anomalies(exp.url)) === 0) {
      if (Date.now() > deadline) throw new Error('no anomaly scores after warm-up');
      await sleep(1000);
    }
    await sleep(3000); // at least one checkpoint after the warm-up
    exp.child.kill('SIGKILL');
    await exp.stop();

    const started = Date.now();
    exp = await runExporter(args);
    await waitReady(`${exp.url}/readyz`);
    while ((await anomalies(exp.url)) === 0) {
      // A fresh start needs 50 s of learning; a restored one scores at the next 5 s cell.
      if (Date.now() - started > 20_000) throw new Error(`baselines not restored: ${exp.stderr()}`);
      await sleep(500);
    }
    expect(exp.stderr()).toMatch(/restored learned baselines/);
    expect(await exp.stop()).toBe(0); // SIGTERM: clean exit, final checkpoint
    expect(JSON.parse(gunzipSync(readFileSync(join(dir, 'state', 'procsight-state.json'))).toString('utf8')).format).toBe(1);
  }, 120_000);

  it('starts with one clear warning when the checkpoint is corrupt', async () => {
    writeFileSync(join(dir, 'state', 'procsight-state.json'), '{"format":1,"state":{"analyzer":');
    exp = await runExporter(args);
    await waitReady(`${exp.url}/readyz`);
    const warnings = exp.stderr().match(/ignoring the checkpoint/g) ?? [];
    expect(warnings).toHaveLength(1);
    expect(exp.stderr()).toMatch(/corrupt/);
    expect(await exp.stop()).toBe(0);
  }, 60_000);

  it('ignores a checkpoint of the robust scorer (before the streaming detector) with one warning', async () => {
    // What procsight wrote before: plain JSON, the anomaly engine's version 2.
    const old = {
      format: 1,
      version: '0.1.0',
      writtenAt: new Date().toISOString(),
      state: { analyzer: { version: 1, anomaly: { version: 2, startMs: 0, groups: {} }, bottlenecks: {}, feedback: {} }, forecaster: { version: 1 } },
    };
    writeFileSync(join(dir, 'state', 'procsight-state.json'), JSON.stringify(old));
    exp = await runExporter(args);
    await waitReady(`${exp.url}/readyz`);
    const warnings = exp.stderr().match(/ignoring the checkpoint/g) ?? [];
    expect(warnings).toHaveLength(1);
    expect(exp.stderr()).toMatch(/version 2, expected 3/);
    expect(await exp.stop()).toBe(0);
  }, 60_000);
});
