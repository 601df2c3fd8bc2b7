import { parentPort, workerData } from 'node:worker_threads';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { contentTypeOf, formatFor, GzipBodies, joinBody } from '../../expose/body';
import { errnoCode, errorMessage } from '../../util/error-message';
import { ConfigError, ProcsightError } from '../../errors';
import { authMiddleware, requireClientCert } from '../auth';
import { securityHeaders } from '../headers';
import { getOrHeadOf } from '../probes';
import { listen } from '../listen';
import { FrontBodies } from './bodies';
import type { FromFront, FrontInit, ToFront } from './messages';
import { proxyTo } from './proxy';
import { prefersGzip } from './accept-encoding';

/**
 * The HTTP front: a thread of its own that owns the listening socket (TLS and
 * client certificates included) and answers /metrics from the renderings the
 * main thread pushes to it, so a scrape never waits for the main thread's
 * collection, analysis or garbage collection. Every other request goes on to
 * the exporter's app on a Unix socket (./proxy.ts).
 */
async function start(init: FrontInit, port: NonNullable<typeof parentPort>): Promise<void> {
  const post = (m: FromFront): void => port.postMessage(m);
  const { webConfig } = init;
  const bodies = new FrontBodies({
    freshWaitMs: init.freshSelfWaitMs,
    askParts: () => post({ type: 'wantParts' }),
    askSelf: (id) => post({ type: 'wantSelf', id }),
  });
  const gzip = new GzipBodies();
  const served = new Map<string, { version: number; body: Buffer }>();
  const proxy = proxyTo(init.appSocket, { onCounted: () => bodies.markStale() });
  const auth = authMiddleware({
    webConfig,
    clientCert: false,
    onFailure: (reason) => {
      bodies.markStale();
      post({ type: 'authFailure', reason });
    },
    logger: { debug: () => undefined },
  });
  const onCertRejected = (problem: string): void => {
    bodies.markStale();
    post({ type: 'certRejected', problem });
  };
  const fail = (res: ServerResponse, err: unknown): void => {
    post({ type: 'scrapeFailed', message: errorMessage(err) });
    if (res.headersSent) res.destroy();
    else res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('internal error\n');
  };

  /** The /metrics answer from the latest renderings, made once per rendering and encoding: scrapes in between send the same bytes. */
  const serveMetrics = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const format = formatFor(req.headers.accept);
    const gzipped = prefersGzip(req.headers['accept-encoding']);
    const [parts, self] = await Promise.all([bodies.latestParts(), bodies.latestSelf()]);
    const key = `${format}/${gzipped}`;
    let made = served.get(key);
    if (made?.version !== bodies.version) {
      made = { version: bodies.version, body: gzipped ? gzip.body(parts, self, format) : Buffer.from(joinBody(parts, self, format)) };
      served.set(key, made);
    }
    const body = made.body;
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Content-Type', contentTypeOf(format));
    if (gzipped) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  // Without TLS, logins or configured headers (the usual case), /metrics and the proxy need no framework:
  // the front then does not load Express, which was most of this thread's memory and time per request.
  const handler = !auth.guardsEveryPath && !webConfig?.tls ? plainHandler(init.telemetryPath, serveMetrics, proxy, fail) : await expressHandler();

  async function expressHandler(): Promise<RequestListener> {
    const { default: express } = await import('express');
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    if (webConfig?.tls) app.use(requireClientCert({ policy: webConfig.clientAuth, onReject: onCertRejected }));
    app.get(
      init.telemetryPath,
      securityHeaders(),
      ...auth.middleware,
      (req: Request, res: Response, next: NextFunction) => void serveMetrics(req, res).catch(next),
    );
    app.use((req: Request, res: Response) => proxy.handle(req, res));
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => fail(res, err));
    return app;
  }

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    await Promise.all([listening.then((l) => l.close()), auth.close()]);
    proxy.close();
    port.close();
  };
  port.on('message', (m: ToFront) => {
    if (m.type === 'part') bodies.setPart(m.index, m.count, m.rendered);
    else if (m.type === 'self') bodies.setSelf(m.id, m.rendered);
    else closing ??= close();
  });
  const listening = listen(handler, { address: init.address, webConfig, onCertRejected });
  const listener = await listening;
  post({ type: 'listening', host: listener.address.host, port: listener.address.port, url: listener.url });
}

/**
 * Routes as the Express app would: GET or HEAD of the telemetry path (any
 * case, one trailing slash allowed, query ignored) gets the security headers
 * and the metrics; everything else goes on to the exporter's app.
 */
function plainHandler(
  telemetryPath: string,
  serveMetrics: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  proxy: { handle(req: IncomingMessage, res: ServerResponse): void },
  fail: (res: ServerResponse, err: unknown) => void,
): RequestListener {
  const headers = securityHeaders();
  const isMetrics = getOrHeadOf(telemetryPath);
  return (req, res) => {
    if (!isMetrics(req)) return proxy.handle(req, res);
    headers(req, res, (err) => {
      if (err) fail(res, err);
      else serveMetrics(req, res).catch((e: unknown) => fail(res, e));
    });
  };
}

if (parentPort) {
  const port = parentPort;
  start(workerData as FrontInit, port).catch((e: unknown) => {
    const code = e instanceof ProcsightError ? e.code : (errnoCode(e) ?? 'internal');
    const key = e instanceof ConfigError ? e.key : null;
    port.postMessage({ type: 'fatal', code, key, message: errorMessage(e) } satisfies FromFront);
  });
}
