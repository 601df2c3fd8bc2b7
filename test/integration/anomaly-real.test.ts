import { startFault, type FaultHandle } from '../faults/spawn';
import { scrape, sleep, startExporter } from '../helpers/exporter';
import type { Service } from '../../exporter/src/compose';

/**
 * The anomaly scores of the real exporter on the real /proc, for a real
 * process it did not start itself: a new group learns with a clear state
 * in the API, then is scored (with its learned normal and band); a restart
 * of its process makes it settle, then scoring resumes. The detector's
 * durations are test-sized (1-second cells, 10 of them to learn, 15 s of
 * settling): the defaults learn for 12 minutes.
 */
const CONFIG =
  'anomaly:\n  detector:\n    cell_seconds: 1\n    baseline_hours: 0.25\n    min_baseline_cells: 10\n    range_lag_minutes: 1\n    restart_grace_minutes: 0.25\n';
const GROUP = 'ps-anomaly-svc';

interface Entry {
  signal: string;
  score: number | null;
  state: string;
  baseline?: number;
  band?: { lower: number; upper: number };
}

describe('anomaly scores on real /proc', () => {
  let svc: Service;
  let proc: FaultHandle | null = null;
  afterAll(async () => {
    await proc?.stop();
    await svc?.stop();
  });

  const entries = async (): Promise<Entry[]> => {
    const r = await fetch(`${svc.url}/api/v1/anomalies?group=${GROUP}`);
    return r.ok ? ((await r.json()) as { anomalies: Entry[] }).anomalies : [];
  };
  const cpuState = async (): Promise<Entry | undefined> => (await entries()).find((e) => e.signal === 'cpu');
  const waitFor = async (what: string, ok: (e: Entry | undefined) => boolean, seconds: number): Promise<Entry> => {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const e = await cpuState();
      if (ok(e)) return e!;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${seconds} s (last: ${JSON.stringify(e)})`);
      await sleep(500);
    }
  };

  it('shows a new group learning, then scores it with its learned normal and band', async () => {
    svc = await startExporter({ configYaml: CONFIG });
    proc = await startFault('idle', { name: GROUP });
    const learning = await waitFor('learning state', (e) => e?.state === 'learning', 10);
    expect(learning.score).toBeNull();
    const scoring = await waitFor('scoring state', (e) => e?.state === 'scoring', 40);
    expect(scoring.score).toBeGreaterThanOrEqual(0);
    expect(scoring.score).toBeLessThanOrEqual(1);
    const memory = (await entries()).find((e) => e.signal === 'memory')!;
    expect(memory.baseline).toBeGreaterThan(1e6);
    expect(memory.band!.lower).toBeLessThanOrEqual(memory.baseline!);
    expect(memory.band!.upper).toBeGreaterThanOrEqual(memory.baseline!);
    const m = await scrape(svc.url);
    expect(m.get(`procsight_anomaly_score{group="${GROUP}",signal="cpu"}`)).toBeGreaterThanOrEqual(0);
    expect(m.get(`procsight_band{group="${GROUP}",signal="memory",bound="upper"}`)).toBeGreaterThan(1e6);
  }, 60_000);

  it('settles after its process is replaced (a restart), then scores again', async () => {
    await sleep(16_000); // the process has lived longer than the settling time
    await proc!.stop();
    proc = await startFault('idle', { name: GROUP });
    const settling = await waitFor('settling state', (e) => e?.state === 'settling', 10);
    expect(settling.score).toBeNull();
    const m = await scrape(svc.url);
    expect(m.has(`procsight_anomaly_score{group="${GROUP}",signal="cpu"}`)).toBe(false);
    await waitFor('scoring again', (e) => e?.state === 'scoring', 40);
  }, 90_000);
});
