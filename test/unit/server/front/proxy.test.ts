import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { proxyTo } from '../../../../exporter/src/server/front/proxy';

/** A real app on a Unix socket behind the proxy on a loopback port. */
async function pair(app: http.RequestListener) {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-proxy-'));
  const socketPath = join(dir, 'app.sock');
  const inner = http.createServer(app);
  await new Promise<void>((res) => inner.listen(socketPath, () => res()));
  let counted = 0;
  const proxy = proxyTo(socketPath, { onCounted: () => counted++ });
  const front = http.createServer((req, res) => proxy.handle(req, res));
  await new Promise<void>((res) => front.listen(0, '127.0.0.1', () => res()));
  const url = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  return {
    url,
    counted: () => counted,
    stopInner: () => new Promise<void>((res) => inner.close(() => res())),
    async close() {
      proxy.close();
      await new Promise<void>((res) => front.close(() => res()));
      inner.closeAllConnections();
      await new Promise<void>((res) => inner.close(() => res()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('proxyTo (the HTTP front passing requests on to the app)', () => {
  it('passes method, path, query, headers and body on, and the answer back', async () => {
    const p = await pair((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', 'x-app': 'yes' });
        res.end(
          JSON.stringify({
            method: req.method,
            url: req.url,
            auth: req.headers.authorization,
            body,
            xff: req.headers['x-forwarded-for'],
            remote: req.socket.remoteAddress ?? null,
          }),
        );
      });
    });
    try {
      const res = await fetch(`${p.url}/api/v1/feedback?x=1`, {
        method: 'POST',
        headers: { authorization: 'Bearer t', 'x-forwarded-for': '10.9.9.9', 'content-type': 'text/plain' },
        body: 'hello',
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-app')).toBe('yes');
      const got = (await res.json()) as Record<string, unknown>;
      // The client's own X-Forwarded-For is replaced by its real address; the app sees a Unix socket (no address).
      expect(got).toEqual({ method: 'POST', url: '/api/v1/feedback?x=1', auth: 'Bearer t', body: 'hello', xff: '127.0.0.1', remote: null });
      expect(p.counted()).toBe(1);
    } finally {
      await p.close();
    }
  });

  it('counts error answers, not successful reads', async () => {
    const p = await pair((req, res) => {
      res.writeHead(req.url === '/bad' ? 404 : 200).end('x');
    });
    try {
      expect((await fetch(`${p.url}/good`)).status).toBe(200);
      expect(p.counted()).toBe(0);
      expect((await fetch(`${p.url}/bad`)).status).toBe(404);
      expect(p.counted()).toBe(1);
    } finally {
      await p.close();
    }
  });

  it('answers 502 when the app is not there', async () => {
    const p = await pair((_req, res) => res.end('x'));
    try {
      await p.stopInner();
      const res = await fetch(`${p.url}/api/v1/groups`);
      expect(res.status).toBe(502);
      expect(await res.text()).toBe('exporter unavailable\n');
    } finally {
      await p.close();
    }
  });

  it('streams a large answer whole', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const p = await pair((_req, res) => res.end(big));
    try {
      expect((await (await fetch(`${p.url}/big`)).text()).length).toBe(big.length);
    } finally {
      await p.close();
    }
  });
});
