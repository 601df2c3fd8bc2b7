import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Service } from '../../exporter/src/compose';
import { startExporter } from '../helpers/exporter';
import { bottleneckAlert, startVictim, waitForGroup, type Victim } from '../helpers/remediation';

/**
 * Generated requests against the write side of the API (feedback, the
 * Alertmanager webhook, decisions on actions) of a real exporter with
 * remediation on: odd JSON, wrong types, huge and hostile values, real and
 * mutated notifications, with and without the token. Never a 5xx, never a
 * stack trace; the exporter stays consistent (every action listed has a
 * known status).
 */
const TOKEN = 'fuzz-remediation-token-0123456789';

describe('feedback and remediation endpoints under generated requests', () => {
  let svc: Service;
  let victim: Victim;
  const dir = mkdtempSync(join(tmpdir(), 'procsight-rem-fuzz-'));
  beforeAll(async () => {
    writeFileSync(join(dir, 'token'), TOKEN);
    victim = await startVictim('fuzz-victim');
    svc = await startExporter({
      // The write routes' own limits (60–120 a minute) would answer most of these 429: the test raises them, and checks they hold at the end.
      writeRateLimitPerMinute: 100_000,
      cli: { storagePath: join(dir, 'state') },
      configYaml: `remediation:\n  mode: approve\n  webhook_token_file: ${dir}/token\n  require_active_bottleneck: false\n  max_actions_per_hour: 1000\n  rules:\n    - {group: fuzz-victim, kind: cpu_saturation, action: renice, nice: 19, cooldown_seconds: 0, max_actions: 1000}\n`,
    });
    await waitForGroup(svc.url, 'fuzz-victim');
  }, 30_000);
  afterAll(async () => {
    await svc?.stop();
    await victim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 1000 generated writes (below the API limit of 1,200 a minute) with 2xx/4xx only, JSON errors without internals', async () => {
    let seed = 24;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const nasty = [
      '',
      'fuzz-victim',
      'cpu_saturation',
      'memory_leak.heap_dump',
      '-1',
      '1e309',
      'NaN',
      '9'.repeat(400),
      '<script>alert(1)</script>',
      '../../etc/passwd',
      '%00',
      'é€😀',
      '__proto__',
      'constructor',
      'x'.repeat(5000),
    ];
    const values = (): unknown =>
      pick<() => unknown>([
        () => pick(nasty),
        () => Math.floor(rand() * 1e6) - 5e5,
        () => null,
        () => true,
        () => [pick(nasty)],
        () => ({ [pick(nasty)]: pick(nasty) }),
        () => Number.MAX_VALUE * 10,
      ])();
    const mutate = (o: Record<string, unknown>): Record<string, unknown> => {
      const c: Record<string, unknown> = JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
      const keys = Object.keys(c);
      const r = rand();
      if (r < 0.3 && keys.length) delete c[pick(keys)];
      else if (r < 0.7 && keys.length) c[pick(keys)] = values();
      else c[pick(nasty) || 'extra'] = values();
      return c;
    };
    const notification = () => {
      const alerts = Array.from({ length: Math.floor(rand() * 4) }, () => {
        const a = bottleneckAlert(rand() < 0.5 ? 'fuzz-victim' : pick(nasty), rand() < 0.6 ? 'cpu_saturation' : pick(nasty), {
          startsAt: new Date(Math.floor(rand() * 1e12)).toISOString(),
          status: rand() < 0.1 ? 'resolved' : 'firing',
        });
        return rand() < 0.3 ? mutate(a as unknown as Record<string, unknown>) : a;
      });
      const p: Record<string, unknown> = { version: '4', status: 'firing', receiver: 'r', groupKey: '{}', alerts };
      return rand() < 0.3 ? mutate(p) : p;
    };
    const feedback = () =>
      (rand() < 0.5 ? (x: Record<string, unknown>) => x : mutate)({
        group: 'fuzz-victim',
        kind: 'cpu_saturation',
        action: rand() < 0.7 ? pick(['cpu_saturation.scale_out', 'cpu_saturation.profile_hot_path']) : pick(nasty),
        verdict: rand() < 0.7 ? pick(['helpful', 'not_helpful', 'applied']) : pick(nasty),
      });
    const ids: string[] = ['act-nope', '..%2f..', 'x'.repeat(300)];
    const counts: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) {
      const r = rand();
      const a = rand();
      const wrongToken = a >= 0.85 && a < 0.925;
      const auth: Record<string, string> =
        a < 0.85 ? { authorization: `Bearer ${TOKEN}` } : wrongToken ? { authorization: `Bearer ${encodeURIComponent(pick(nasty))}` } : {};
      let path: string;
      let body: string | undefined;
      if (r < 0.45) {
        path = '/api/v1/alertmanager';
        body = rand() < 0.9 ? JSON.stringify(notification()) : pick(nasty);
      } else if (r < 0.75) {
        path = '/api/v1/feedback';
        body = rand() < 0.9 ? JSON.stringify(feedback()) : pick(nasty);
      } else {
        path = `/api/v1/actions/${encodeURIComponent(pick(ids))}/${pick(['approve', 'reject', 'rollback', 'approve', pick(nasty)])}`;
        body = rand() < 0.8 ? undefined : JSON.stringify(values());
      }
      const method = rand() < 0.95 ? 'POST' : pick(['PUT', 'DELETE', 'GET']);
      const res = await fetch(`${svc.url}${path}${rand() < 0.1 ? `?${encodeURIComponent(pick(nasty))}=1` : ''}`, {
        method,
        headers: { 'content-type': rand() < 0.9 ? 'application/json' : pick(['text/plain', 'application/x-www-form-urlencoded']), ...auth },
        body: method === 'GET' ? undefined : body,
      });
      const text = await res.text();
      counts[res.status] = (counts[res.status] ?? 0) + 1;
      expect({ path, status: res.status < 500 }).toEqual({ path, status: true });
      // 429 only for a client that keeps presenting wrong tokens (the write routes' own limits are raised here).
      if (res.status === 429) expect({ path, wrongToken }).toEqual({ path, wrongToken: true });
      expect(text).not.toMatch(/\n\s+at |\/work\/|node_modules|<script>/);
      if (res.status >= 400 && res.headers.get('content-type')?.includes('json')) expect(JSON.parse(text).error).toEqual(expect.any(String));
      if (path === '/api/v1/alertmanager' && res.status === 200)
        for (const x of (JSON.parse(text) as { results: Array<{ id?: string }> }).results) if (x.id) ids.push(x.id);
    }
    // Every kind of answer happened: accepted notifications and verdicts, refusals of bad input and of bad tokens.
    expect(counts['200'] ?? 0).toBeGreaterThan(50);
    expect(counts['201'] ?? 0).toBeGreaterThan(20);
    expect(counts['400'] ?? 0).toBeGreaterThan(100);
    expect(counts['401'] ?? 0).toBeGreaterThan(20);
    expect(counts['429'] ?? 0).toBeGreaterThan(0);
    const listed = (await (await fetch(`${svc.url}/api/v1/actions?limit=1000`)).json()) as { actions: Array<{ status: string; executing: boolean }> };
    expect(listed.actions.length).toBeGreaterThan(10);
    for (const a of listed.actions) expect(['pending', 'dry_run', 'done', 'failed', 'refused', 'rolled_back']).toContain(a.status);
    expect(listed.actions.some((a) => a.executing)).toBe(false);
  }, 180_000);
});
