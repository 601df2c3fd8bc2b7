import type { Service } from '../../exporter/src/compose';
import { startFault, type FaultHandle } from '../faults/spawn';
import { scrape, startExporter } from '../helpers/exporter';
import { until } from '../helpers/remediation';

/**
 * Operator feedback reaches the exporter's own ranking, end to end on a real
 * bottleneck: a real process leaks file descriptors up to its limit
 * (fd_exhaustion), "not helpful" on its top suggestion makes another one the
 * top of procsight_suggestion (what alerts quote), and "applied" starts the
 * efficacy measurement, which counts a resolved outcome once the process is
 * stopped and the bottleneck clears. The exporter runs without a
 * remediation section, so its webhook is absent (404).
 */
const GROUP = 'fb-leak';
const KIND = 'fd_exhaustion';

describe('operator feedback in the exporter (real process, real bottleneck)', () => {
  let svc: Service;
  let leak: FaultHandle;
  afterAll(async () => {
    await leak?.stop();
    await svc?.stop();
  });

  const topSuggestion = async (): Promise<string | undefined> => {
    const m = await scrape(svc.url);
    const mine = [...m.entries()].filter(([k]) => k.startsWith('procsight_suggestion{') && k.includes(`group="${GROUP}"`)).sort((a, b) => b[1] - a[1]);
    return mine[0] ? /action="([^"]+)"/.exec(mine[0][0])?.[1] : undefined;
  };
  const post = async (action: string, verdict: string) => {
    const r = await fetch(`${svc.url}/api/v1/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ group: GROUP, kind: KIND, action, verdict }),
    });
    expect(r.status).toBe(201);
    return (await r.json()) as { measurement: { watching: boolean; severity_before?: number } };
  };

  it('re-ranks procsight_suggestion on "not helpful", and measures an applied action as resolved when the bottleneck clears', async () => {
    svc = await startExporter();
    // Remediation stays off unless configured: no config means the webhook is not there and nothing can act.
    const hook = await fetch(`${svc.url}/api/v1/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: '4', status: 'firing', alerts: [] }),
    });
    expect(hook.status).toBe(404);
    expect(await (await fetch(`${svc.url}/api/v1/actions`)).json()).toEqual({ mode: 'off', kill_switch: false, pending: 0, actions: [] });
    // Node holds about 20 fds itself: with a limit of 64 and 40 leaked, the process is above 80 % of its limit.
    leak = await startFault('fd-leak', { name: GROUP, args: { 'per-sec': 40, target: 40 }, fdLimit: 64, maxSeconds: 300 });
    await until(
      'the fd_exhaustion bottleneck',
      async () =>
        ((await (await fetch(`${svc.url}/api/v1/bottlenecks?kind=${KIND}`)).json()) as { bottlenecks?: Array<{ group: string }> }).bottlenecks?.some(
          (b) => b.group === GROUP,
        ) ?? false,
      60_000,
    );
    await until('its suggestions', async () => (await topSuggestion()) !== undefined, 10_000);
    expect(await topSuggestion()).toBe('fd_exhaustion.find_leaked_fds'); // prior 0.8 against raise_limit's 0.5

    for (let i = 0; i < 5; i++) await post('fd_exhaustion.find_leaked_fds', 'not_helpful');
    // 0.8 × (2 / 9 × 2) = 0.36 < 0.5: the next analysis ranks raise_limit first.
    await until('the re-ranking', async () => (await topSuggestion()) === 'fd_exhaustion.raise_limit', 10_000);
    const api = (await (await fetch(`${svc.url}/api/v1/suggestions?group=${GROUP}`)).json()) as { suggestions: Array<{ action: string }> };
    expect(api.suggestions[0].action).toBe('fd_exhaustion.raise_limit');

    const applied = await post('fd_exhaustion.raise_limit', 'applied');
    expect(applied.measurement).toEqual({ watching: true, severity_before: expect.any(Number) });
    await leak.stop(); // "the fix": the leaking process goes away, the bottleneck clears after its hysteresis
    await until(
      'the resolved outcome',
      async () =>
        (await scrape(svc.url)).get(`procsight_suggestion_outcomes_total{kind="${KIND}",action="fd_exhaustion.raise_limit",outcome="resolved"}`) === 1,
      60_000,
    );
    const m = await scrape(svc.url);
    expect(m.get(`procsight_suggestion_outcome_severity_fall{kind="${KIND}",action="fd_exhaustion.raise_limit"}`)).toBeCloseTo(
      applied.measurement.severity_before as number,
      6,
    );
    const fb = (await (await fetch(`${svc.url}/api/v1/feedback`)).json()) as {
      actions: Array<{ action: string; success_rate: number | null; learned_prior: number; not_helpful: number }>;
      recent: Array<{ outcome: string }>;
    };
    expect(fb.actions.find((a) => a.action === 'fd_exhaustion.raise_limit')).toMatchObject({ success_rate: 1, learned_prior: 0.6 }); // (0.5 × 4 + 1) / 5
    expect(fb.actions.find((a) => a.action === 'fd_exhaustion.find_leaked_fds')).toMatchObject({ not_helpful: 5 });
    expect(fb.recent).toEqual([expect.objectContaining({ outcome: 'resolved', severity_after: 0 })]);
  }, 150_000);
});
