import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KUBE_FIXTURES = join(__dirname, '..', 'fixtures', 'kubernetes');

/** A throw-away CA and a server certificate for 127.0.0.1 signed by it (openssl), with a service-account token file. */
export function makeCredentials(): { dir: string; caFile: string; certFile: string; keyFile: string; tokenFile: string; token: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'procsight-kube-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=stand-in kubernetes CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  );
  run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=kube-apiserver', '-keyout', 'tls.key', '-out', 'tls.csr');
  writeFileSync(join(dir, 'tls.ext'), 'subjectAltName=IP:127.0.0.1,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n');
  run('x509', '-req', '-in', 'tls.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'tls.ext', '-out', 'tls.crt');
  const token = 'stand-in-token-' + Math.random().toString(36).slice(2);
  writeFileSync(join(dir, 'token'), `${token}\n`);
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    certFile: join(dir, 'tls.crt'),
    keyFile: join(dir, 'tls.key'),
    tokenFile: join(dir, 'token'),
    token,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface StandInRequest {
  path: string;
  query: URLSearchParams;
  authorization: string;
}

/**
 * A stand-in for the Kubernetes API server on loopback over HTTPS: it answers
 * `GET /api/v1/pods` (list, paged by `limit`, then watch) from the recorded
 * fixtures, checks the bearer token and the field selector, and lets a test
 * push watch events, end a watch, expire a resourceVersion (410) or fail.
 */
export class KubeStandIn {
  readonly requests: StandInRequest[] = [];
  pods: Array<Record<string, unknown>>;
  resourceVersion: string;
  /** The next list answers with this status instead (once). */
  failNextList: number | null = null;
  /** The next list answers with this body instead (once). */
  garbageNextList: string | null = null;
  private watches = new Set<ServerResponse>();
  private server: Server | null = null;
  url = '';

  constructor(
    private readonly creds: { certFile: string; keyFile: string; token: string },
    readonly nodeName = 'node-1',
  ) {
    const list = JSON.parse(readFileSync(join(KUBE_FIXTURES, 'pods-node-1.json'), 'utf8')) as {
      metadata: { resourceVersion: string };
      items: Array<Record<string, unknown>>;
    };
    this.pods = list.items;
    this.resourceVersion = list.metadata.resourceVersion;
  }

  /** The recorded watch events, one JSON line each. */
  static recordedEvents(): string[] {
    return readFileSync(join(KUBE_FIXTURES, 'watch-node-1.ndjson'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
  }

  async start(): Promise<void> {
    this.server = createServer({ cert: readFileSync(this.creds.certFile), key: readFileSync(this.creds.keyFile) }, (req, res) => this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const w of this.watches) w.destroy();
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }

  get watching(): number {
    return this.watches.size;
  }

  /** Sends one watch event line to every open watch. */
  push(line: string): void {
    for (const w of this.watches) w.write(`${line}\n`);
  }

  /** Ends every open watch as the API server does at timeoutSeconds. */
  endWatches(): void {
    for (const w of this.watches) w.end();
    this.watches.clear();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', 'https://x');
    this.requests.push({ path: u.pathname, query: u.searchParams, authorization: req.headers.authorization ?? '' });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.creds.token}`)
      return json(401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    if (u.pathname !== '/api/v1/pods' || u.searchParams.get('fieldSelector') !== `spec.nodeName=${this.nodeName}`)
      return json(404, { kind: 'Status', code: 404 });
    if (u.searchParams.get('watch') === '1') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      this.watches.add(res);
      res.on('close', () => this.watches.delete(res));
      return;
    }
    if (this.failNextList !== null) {
      const status = this.failNextList;
      this.failNextList = null;
      return json(status, { kind: 'Status', code: status, message: 'stand-in failure' });
    }
    if (this.garbageNextList !== null) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(this.garbageNextList);
      this.garbageNextList = null;
      return;
    }
    const limit = Number(u.searchParams.get('limit') ?? 500);
    const from = Number(u.searchParams.get('continue') ?? 0);
    const page = this.pods.slice(from, from + limit);
    const next = from + limit < this.pods.length ? String(from + limit) : undefined;
    json(200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: this.resourceVersion, ...(next ? { continue: next } : {}) }, items: page });
  }
}
