import { gzip } from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';

/** Bodies smaller than this go as they are: gzip's header and trailer would eat the gain. */
const MIN_BYTES = 1024;

/**
 * Compresses the responses of the routes after it (the JSON API, the app's
 * own /metrics) when the client accepts gzip (`Accept-Encoding`, with its
 * q-values, negotiated by express), in libuv's thread pool. The HTTP front's
 * /metrics does its own: its bodies are compressed once per rendering
 * (expose/gzip.ts).
 */
export function gzipResponses(opts: { minBytes?: number } = {}): (req: Request, res: Response, next: NextFunction) => void {
  const minBytes = opts.minBytes ?? MIN_BYTES;
  return (req, res, next) => {
    res.vary('Accept-Encoding');
    if (req.acceptsEncodings('gzip', 'identity') !== 'gzip') return next();
    const send = res.send.bind(res);
    res.send = (body?: unknown): Response => {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.isBuffer(body) ? body : null;
      if (bytes === null || bytes.length < minBytes || res.get('Content-Encoding')) return send(body);
      // express types a string body as html and a Buffer as octet-stream: keep what the string would have had.
      if (typeof body === 'string' && !res.get('Content-Type')) res.type('html');
      gzip(bytes, (err, zipped) => {
        // Compression failing is not the client's problem: the body goes uncompressed.
        if (err) {
          send(bytes);
          return;
        }
        res.set('Content-Encoding', 'gzip');
        send(zipped);
      });
      return res;
    };
    next();
  };
}
