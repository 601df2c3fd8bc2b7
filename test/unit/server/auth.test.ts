import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import bcrypt from 'bcryptjs';
import { authMiddleware, basicAuth, bearerAuth, NO_USERS_HASH } from '../../../exporter/src/server/auth';
import type { WebConfig } from '../../../exporter/src/server/web-config';
import type { AuthFailureReason } from '@procsight/contract';

describe('the hash an unknown user is checked against when no user is configured', () => {
  it('is a real bcrypt hash, so a refusal costs what a wrong password costs', () => {
    expect(bcrypt.getRounds(NO_USERS_HASH)).toBe(4);
    expect(bcrypt.compareSync('procsight-dummy', NO_USERS_HASH)).toBe(true);
    expect(bcrypt.compareSync('anything else', NO_USERS_HASH)).toBe(false);
  });
});

describe('which paths the web config guards (authMiddleware)', () => {
  const webConfig = (over: { users?: Record<string, string>; headers?: Record<string, string> }): WebConfig => ({
    tls: null,
    clientAuth: { type: 'NoClientCert', allowedSans: [] },
    users: over.users ?? {},
    headers: over.headers ?? {},
  });
  const guards = (w: WebConfig | null, bearer: ((t: string) => boolean) | null = null): boolean => {
    const a = authMiddleware({ webConfig: w, onFailure: () => undefined, logger: { debug: () => undefined }, bearer, clientCert: false });
    void a.close();
    return a.guardsEveryPath;
  };

  it('says logins and configured headers apply to every path, the probes included; no web config, an empty one or a bearer token do not', () => {
    expect(guards(null)).toBe(false);
    expect(guards(webConfig({}))).toBe(false);
    expect(guards(webConfig({}), () => true)).toBe(false);
    expect(guards(webConfig({ users: { alice: NO_USERS_HASH } }))).toBe(true);
    expect(guards(webConfig({ headers: { 'X-Frame-Options': 'deny' } }))).toBe(true);
  });
});

/**
 * Wrong passwords must not be a cheap way to stall the exporter: bcrypt runs
 * asynchronously, at most a few at a time, and a client that keeps failing
 * is answered 429 without bcrypt.
 */
describe('basic auth under a flood of wrong passwords', () => {
  const hash = bcrypt.hashSync('scrape-secret', 10); // the cost real configs use (~80 ms a comparison here)

  async function serve(opts: Partial<Parameters<typeof basicAuth>[0]> = {}) {
    const failures: AuthFailureReason[] = [];
    const app = express();
    const auth = basicAuth({ users: { prometheus: hash }, onFailure: (r) => failures.push(r), ...opts });
    app.use(auth);
    app.get('/metrics', (_req, res) => {
      res.type('text').send('ok\n');
    });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const get = (auth?: string): Promise<{ status: number; ms: number; retryAfter?: string }> =>
      new Promise((resolve, reject) => {
        const t0 = performance.now();
        const req = http.get({ host: '127.0.0.1', port, path: '/metrics', auth, agent: false, timeout: 10_000 }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, retryAfter: res.headers['retry-after'] }));
        });
        req.on('error', reject);
        req.on('timeout', () => req.destroy(new Error('timeout')));
      });
    const close = async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await auth.close();
    };
    return { get, failures, close };
  }

  it('serves the right password promptly while 50 wrong ones are in flight, and answers 429 past the limit', async () => {
    const s = await serve();
    try {
      expect((await s.get('prometheus:scrape-secret')).status).toBe(200); // verified once, then cached
      const wrong = Array.from({ length: 50 }, (_, i) => s.get(`prometheus:guess-${i}`));
      // Let the flood reach the server first.
      await new Promise((r) => setTimeout(r, 20));
      const right = await s.get('prometheus:scrape-secret');
      const results = await Promise.all(wrong);
      expect(right.status).toBe(200);
      // Serial bcrypt of 50 guesses would hold the event loop for ~4 s here.
      expect(right.ms).toBeLessThan(1000);
      const statuses = results.map((r) => r.status);
      expect(statuses.every((c) => c === 401 || c === 429)).toBe(true);
      expect(statuses.filter((c) => c === 429).length).toBeGreaterThanOrEqual(40);
      expect(s.failures.filter((r) => r === 'bad_credentials').length).toBe(statuses.filter((c) => c === 401).length);
      expect(s.failures.filter((r) => r === 'rate_limited').length).toBe(statuses.filter((c) => c === 429).length);
    } finally {
      await s.close();
    }
  }, 20_000);

  it('after the burst of failures a client gets 429 with Retry-After and no bcrypt; a token comes back with time', async () => {
    let now = 1_000_000;
    const s = await serve({ failureBurst: 3, failureRefillMs: 10_000, now: () => now });
    try {
      for (let i = 0; i < 3; i++) expect((await s.get('prometheus:wrong')).status).toBe(401);
      const limited = await s.get('prometheus:wrong');
      expect(limited.status).toBe(429);
      expect(limited.retryAfter).toBe('10');
      expect(limited.ms).toBeLessThan(50); // no bcrypt ran
      // Not even the right password is checked while limited, unless already verified.
      expect((await s.get('prometheus:scrape-secret')).status).toBe(429);
      // Missing credentials cost nothing and are a plain 401.
      expect((await s.get()).status).toBe(401);
      now += 10_000;
      expect((await s.get('prometheus:scrape-secret')).status).toBe(200);
      // A success gives its token back, and the verified password is served from the cache from now on.
      expect((await s.get('prometheus:wrong')).status).toBe(401);
      expect((await s.get('prometheus:wrong')).status).toBe(429);
      expect((await s.get('prometheus:scrape-secret')).status).toBe(200);
      expect(s.failures).toEqual([
        'bad_credentials',
        'bad_credentials',
        'bad_credentials',
        'rate_limited',
        'rate_limited',
        'no_credentials',
        'bad_credentials',
        'rate_limited',
      ]);
    } finally {
      await s.close();
    }
  }, 20_000);
});

describe('basic auth (--web.config.file basic_auth_users)', () => {
  it('answers 401 to a wrong or missing password and lets the right one in', async () => {
    const app = express();
    const auth = basicAuth({ users: { prom: bcrypt.hashSync('s3cret', 4) } });
    app.use(auth);
    app.get('/metrics', (_req, res) => {
      res.send('ok');
    });
    expect((await request(app).get('/metrics')).status).toBe(401);
    expect((await request(app).get('/metrics').auth('prom', 'wrong')).status).toBe(401);
    expect((await request(app).get('/metrics').auth('mallory', 's3cret')).status).toBe(401);
    const ok = await request(app).get('/metrics').auth('prom', 's3cret');
    expect(ok.status).toBe(200);
    // second time from the cache, still checked
    expect((await request(app).get('/metrics').auth('prom', 's3cret')).status).toBe(200);
    expect((await request(app).get('/metrics').auth('prom', 's3cret!')).status).toBe(401);
    await auth.close();
  });
});

describe('the remediation bearer token (bearerAuth)', () => {
  function app(now: () => number) {
    const failures: AuthFailureReason[] = [];
    const a = express();
    a.use(bearerAuth({ verify: (t) => t === 'right-token-0123456789', onFailure: (r) => failures.push(r), now }));
    a.use((_req, res) => {
      res.json({ principal: res.locals.principal ?? null });
    });
    return { a, failures };
  }

  it('authenticates /api/v1 requests with the right token, refuses a wrong one, and leaves other requests to basic auth', async () => {
    const { a, failures } = app(Date.now);
    expect((await request(a).get('/api/v1/actions').set('authorization', 'Bearer right-token-0123456789')).body).toEqual({ principal: { kind: 'token' } });
    const wrong = await request(a).get('/api/v1/actions').set('authorization', 'Bearer wrong');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="procsight"');
    expect((await request(a).get('/api/v1/actions')).body).toEqual({ principal: null }); // no bearer: basic auth decides
    expect((await request(a).get('/metrics').set('authorization', 'Bearer right-token-0123456789')).body).toEqual({ principal: null }); // the token is for the API only
    expect(failures).toEqual(['bad_credentials']);
  });

  it('answers 429 without comparing after a burst of wrong tokens from one address; a token comes back with time', async () => {
    let now = 0;
    const { a, failures } = app(() => now);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await request(a).get('/api/v1/x').set('authorization', `Bearer guess-${i}`)).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    expect(failures.filter((f) => f === 'rate_limited')).toHaveLength(2);
    now += 6_000;
    expect((await request(a).get('/api/v1/x').set('authorization', 'Bearer guess')).status).toBe(401);
  });
});
