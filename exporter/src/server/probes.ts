import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { securityHeaders } from './headers';

/** The health probes' answers (status and plain-text body), the same whichever path serves them. */
export function probeAnswer(probe: 'healthz' | 'readyz', ready: boolean): { status: number; body: string } {
  if (probe === 'healthz') return { status: 200, body: 'ok\n' };
  return ready ? { status: 200, body: 'ready\n' } : { status: 503, body: 'not ready: waiting for the first collection\n' };
}

export interface ProbesThenAppOptions {
  /** True once the first collection has finished. */
  ready(): boolean;
  /** Builds the app that answers everything else; called once, on the first request that is not a probe. */
  load(): Promise<RequestListener>;
  /** The app could not be built: the request gets a 500 and the next one tries again. */
  onLoadError(e: unknown): void;
}

/**
 * The exporter's app as the HTTP front reaches it: the health probes
 * (GET or HEAD of /healthz and /readyz, matched as Express matches them: any
 * case, one trailing slash, query ignored) are answered here, byte for byte
 * as the app answers them; every other request goes to the app, which is
 * built on the first one. An exporter that is only scraped (by the front)
 * and probed (by Kubernetes, Docker, systemd) never loads the JSON API's
 * framework, its router and rate limiter: about 5 MB of heap
 * (docs/benchmarks.md).
 */
export function probesThenApp(opts: ProbesThenAppOptions): RequestListener {
  const headers = securityHeaders();
  let app: Promise<RequestListener> | null = null;
  const loadApp = (): Promise<RequestListener> => {
    app ??= opts.load().catch((e: unknown) => {
      app = null;
      throw e;
    });
    return app;
  };
  return (req, res) => {
    const probe = probeOf(req);
    if (probe !== null) {
      headers(req, res, (err) => {
        if (err) res.writeHead(500).end();
        else answerProbe(req, res, probeAnswer(probe, opts.ready()));
      });
      return;
    }
    loadApp().then(
      (handle) => handle(req, res),
      (e: unknown) => {
        opts.onLoadError(e);
        headers(req, res, () => res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end('{"error":"internal error"}'));
      },
    );
  };
}

const isHealthz = getOrHeadOf('/healthz');
const isReadyz = getOrHeadOf('/readyz');

function probeOf(req: IncomingMessage): 'healthz' | 'readyz' | null {
  // A conditional request may be answered 304 by Express (If-None-Match: * matches even without ETags): the app answers it.
  if (req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) return null;
  if (isHealthz(req)) return 'healthz';
  return isReadyz(req) ? 'readyz' : null;
}

/** Whether a request is a GET or HEAD of `path` as Express routes it by default: any case, one trailing slash, the query ignored. */
export function getOrHeadOf(path: string): (req: IncomingMessage) => boolean {
  const wanted = path.toLowerCase().replace(/\/$/, '');
  const withSlash = `${wanted}/`;
  return (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const asked = (q < 0 ? url : url.slice(0, q)).toLowerCase();
    return asked === wanted || asked === withSlash;
  };
}

function answerProbe(req: IncomingMessage, res: ServerResponse, answer: { status: number; body: string }): void {
  res.writeHead(answer.status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(answer.body) });
  res.end(req.method === 'HEAD' ? undefined : answer.body);
}
