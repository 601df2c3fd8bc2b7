import type { Service } from '../../exporter/src/compose';
import { sleep, startExporter } from '../helpers/exporter';

/** The correlation hints route wired into the real exporter on this machine's /proc. */
describe('GET /api/v1/correlations on a running exporter', () => {
  let svc: Service;
  afterAll(async () => {
    await svc?.stop();
  });

  it("answers a live group's hints (the signal asked for, entries with lag and strength) and 404 for an unknown group", async () => {
    svc = await startExporter({ cli: { collectIntervalSeconds: 1 } });
    // Bounded wait for the first analysis (a few collections).
    for (let i = 0; i < 40 && !svc.state.analysis(); i++) await sleep(250);
    const group = svc.state.snapshot()!.groups[0].name;
    const res = await fetch(`${svc.url}/api/v1/correlations?group=${encodeURIComponent(group)}&signal=cpu&limit=3`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      group: string;
      signal: string;
      window_seconds: number;
      correlations: Array<{ strength: number; lag_seconds: number }>;
    };
    expect(body).toMatchObject({ group, signal: 'cpu', window_seconds: 3600 });
    // Seconds of history only: too few 15-second steps for any correlation yet.
    expect(body.correlations).toEqual([]);
    expect((await fetch(`${svc.url}/api/v1/correlations?group=no-such-group-here`)).status).toBe(404);
  }, 30_000);
});
