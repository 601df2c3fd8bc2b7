import { startFault } from '../faults/spawn';
import { sleep, startExporter } from '../helpers/exporter';
import type { Service } from '../../exporter/src/compose';

/**
 * Issue 23, point 7: every series of a group goes with it. The analysis keeps
 * a vanished group's learned state for an hour (so that it keeps its
 * baselines if it comes back) and the profiles are recomputed every 12
 * cycles; neither may keep `procsight_profile_cluster` or any other series
 * of the group alive once the grouper has dropped it after
 * limits.empty_group_ttl_seconds.
 */
describe('a vanished group', () => {
  let svc: Service | undefined;
  afterAll(async () => svc?.stop());

  it('loses all its series, procsight_profile_* included, after its TTL', async () => {
    svc = await startExporter({ configYaml: 'limits:\n  empty_group_ttl_seconds: 2\n' });
    const name = `ps-vanish${process.pid % 10000}`;
    const fault = await startFault('cpu-hog', { name, maxSeconds: 120 });
    const series = async (): Promise<string[]> => {
      const text = await (await fetch(`${svc!.url}/metrics`)).text();
      return text.split('\n').filter((l) => !l.startsWith('#') && l.includes(`group="${name}"`));
    };
    // Until the group has a profile point (the profiles run every 12 one-second cycles).
    const deadline = Date.now() + 40_000;
    let before: string[] = [];
    while (Date.now() < deadline) {
      before = await series();
      if (before.some((l) => l.startsWith('procsight_profile_cluster{'))) break;
      await sleep(500);
    }
    expect(before.some((l) => l.startsWith('procsight_profile_cluster{'))).toBe(true);
    expect(before.some((l) => l.startsWith('procsight_group_cpu_seconds_total{'))).toBe(true);

    await fault.stop();
    // TTL 2 s, then a cycle that drops the group and the renderings after it.
    await sleep(4500);
    await svc.collectNow();
    await svc.exposition.refresh();
    expect(await series()).toEqual([]);
    const profiles = (await (await fetch(`${svc.url}/api/v1/profiles`)).json()) as { points?: Array<{ group: string }> };
    expect(JSON.stringify(profiles)).not.toContain(`"${name}"`);
  }, 60_000);
});
