import http, { type IncomingMessage, type ServerResponse } from 'node:http';

/** Hop-by-hop headers (RFC 9110 7.6.1): they describe one connection, not the message. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/**
 * Passes a request on to the exporter's app on its Unix socket and streams the
 * answer back. The client's address goes in X-Forwarded-For, replacing any the
 * client sent (the app trusts that header only from the socket).
 */
export function proxyTo(
  socketPath: string,
  opts: {
    /** An answer that may have changed what the self-metrics count: an error, or any answer to a write (not GET or HEAD). */
    onCounted(): void;
  },
): { handle(req: IncomingMessage, res: ServerResponse): void; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && k !== 'x-forwarded-for') headers[k] = v;
    headers['x-forwarded-for'] = req.socket.remoteAddress ?? 'unknown';
    const upstream = http.request({ socketPath, agent, method: req.method, path: req.url, headers }, (answer) => {
      const status = answer.statusCode ?? 502;
      if (status >= 400 || (req.method !== 'GET' && req.method !== 'HEAD')) opts.onCounted();
      const out: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
      res.writeHead(status, answer.statusMessage, out);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end('exporter unavailable\n');
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };
  return { handle, close: () => agent.destroy() };
}
