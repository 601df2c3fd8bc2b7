import { startExporter, sleep } from '../helpers/exporter';
import type { Service } from '../../exporter/src/compose';

/** Thousands of generated API requests against the real exporter: never a 5xx, never a stack trace. */
describe('API under generated requests', () => {
  let svc: Service;
  beforeAll(async () => {
    svc = await startExporter();
    await sleep(1500);
  });
  afterAll(() => svc.stop());

  it('answers 2000 generated requests with 2xx/4xx only, JSON errors without internals', async () => {
    let seed = 17;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const paths = [
      '/api/v1/groups',
      '/api/v1/bottlenecks',
      '/api/v1/anomalies',
      '/api/v1/suggestions',
      '/api/v1/profiles',
      '/api/v1/forecasts',
      '/api/v1/feedback',
      '/api/v1/actions',
      '/api/v1/actions/act-x',
      '/api/v1/alertmanager',
      '/api/v1/nope',
      '/api/v1/',
      '/api/v1/groups/../../etc/passwd',
    ];
    const keys = [
      'group',
      'kind',
      'signal',
      'sort',
      'limit',
      'status',
      'min_score',
      'min_severity',
      'resource',
      'path',
      'x',
      '__proto__',
      'constructor',
      'group[]',
    ];
    const values = [
      '',
      'node',
      'cpu',
      'memory_leak',
      '-1',
      '0',
      '1',
      '1e309',
      'NaN',
      '9'.repeat(400),
      '<script>alert(1)</script>',
      '%00',
      '%ff%fe',
      '../../etc',
      "' OR 1=1",
      'true',
      '{"a":1}',
      'é€😀',
    ];
    const counts: Record<string, number> = {};
    for (let i = 0; i < 2000; i++) {
      const q = Array.from(
        { length: Math.floor(rand() * 4) },
        () => `${encodeURIComponent(pick(keys))}=${rand() < 0.9 ? encodeURIComponent(pick(values)) : pick(values)}`,
      ).join('&');
      const res = await fetch(`${svc.url}${pick(paths)}${q ? `?${q}` : ''}`, { method: rand() < 0.9 ? 'GET' : pick(['POST', 'PUT', 'DELETE']) });
      const body = await res.text();
      counts[res.status] = (counts[res.status] ?? 0) + 1;
      expect(res.status).toBeLessThan(500);
      expect(body).not.toMatch(/\n\s+at |\/work\/|node_modules|<script>/);
      if (res.status >= 400 && res.headers.get('content-type')?.includes('json')) expect(JSON.parse(body).error).toEqual(expect.any(String));
    }
    expect(counts['200']).toBeGreaterThan(100);
    expect(counts['400']).toBeGreaterThan(100);
  }, 120_000);

  it('sets security headers', async () => {
    const res = await fetch(`${svc.url}/`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
