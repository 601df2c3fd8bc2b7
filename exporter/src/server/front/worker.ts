import { parentPort, workerData } from 'node:worker_threads';
import express, { type NextFunction, type Request, type Response } from 'express';
import { contentTypeOf, formatFor, GzipBodies, joinBody } from '../../expose/body';
import { errnoCode, errorMessage } from '../../util/error-message';
import { ConfigError, ProcsightError } from '../../errors';
import { authMiddleware, requireClientCert } from '../auth';
import { securityHeaders } from '../headers';
import { listen } from '../listen';
import { FrontBodies } from './bodies';
import type { FromFront, FrontInit, ToFront } from './messages';
import { proxyTo } from './proxy';

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
  const served = new Map<string, { version: number; body: Promise<Buffer> }>();
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

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (webConfig?.tls) app.use(requireClientCert({ policy: webConfig.clientAuth, onReject: onCertRejected }));
  app.get(init.telemetryPath, securityHeaders(), ...auth.middleware, (req: Request, res: Response, next: NextFunction) => {
    const format = formatFor(req.get('accept'));
    res.vary('Accept-Encoding');
    res.set('Content-Type', contentTypeOf(format));
    const gzipped = req.acceptsEncodings('gzip', 'identity') === 'gzip';
    if (gzipped) res.set('Content-Encoding', 'gzip');
    Promise.all([bodies.latestParts(), bodies.latestSelf()])
      .then(([parts, self]) => {
        // Made once per rendering and encoding: scrapes in between send the same bytes.
        const key = `${format}/${gzipped}`;
        let made = served.get(key);
        if (made?.version !== bodies.version) {
          made = { version: bodies.version, body: gzipped ? gzip.body(parts, self, format) : Promise.resolve(Buffer.from(joinBody(parts, self, format))) };
          served.set(key, made);
        }
        return made.body;
      })
      .then((body) => void res.send(body))
      .catch(next);
  });
  app.use((req: Request, res: Response) => proxy.handle(req, res));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    post({ type: 'scrapeFailed', message: errorMessage(err) });
    res.status(500).type('text').send('internal error\n');
  });

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
  const listening = listen(app, { address: init.address, webConfig, onCertRejected });
  const listener = await listening;
  post({ type: 'listening', host: listener.address.host, port: listener.address.port, url: listener.url });
}

if (parentPort) {
  const port = parentPort;
  start(workerData as FrontInit, port).catch((e: unknown) => {
    const code = e instanceof ProcsightError ? e.code : (errnoCode(e) ?? 'internal');
    const key = e instanceof ConfigError ? e.key : null;
    port.postMessage({ type: 'fatal', code, key, message: errorMessage(e) } satisfies FromFront);
  });
}
