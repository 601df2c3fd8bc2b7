import http from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import { ConfigError } from '../errors';
import { enforceClientCerts } from './auth';
import type { WebConfig } from './web-config';

/** Splits `host:port` (`:9556`, `127.0.0.1:0`, `[::1]:9556`). */
export function parseListenAddress(text: string): { host: string; port: number } | null {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  if (!m) return null;
  const port = Number(m[3]);
  if (port > 65535) return null;
  return { host: m[1] ?? m[2] ?? '', port };
}

interface ListenOptions {
  /** `host:port` (--web.listen-address). */
  address: string;
  /** TLS and client-certificate policy (--web.config.file); null: plain HTTP. */
  webConfig: WebConfig | null;
  /** A TLS client refused by the client-certificate policy. */
  onCertRejected(problem: string): void;
}

export interface Listener {
  /** Bound address (port 0 in tests resolves here). */
  address: { host: string; port: number };
  url: string;
  close(): Promise<void>;
}

/** Starts the HTTP(S) server on the listen address; resolves once it is bound. */
export async function listen(handler: RequestListener, opts: ListenOptions): Promise<Listener> {
  const at = parseListenAddress(opts.address);
  if (!at) throw new ConfigError('web.listen-address', `invalid listen address ${JSON.stringify(opts.address)}`);
  const tls = opts.webConfig?.tls ?? null;
  // https (and tls under it) only when serving TLS: each isolate that loads them holds about half a megabyte more.
  const server = tls ? (await import('node:https')).createServer(tls, handler) : http.createServer(handler);
  if (tls && opts.webConfig) enforceClientCerts(server as https.Server, { policy: opts.webConfig.clientAuth, onReject: opts.onCertRejected });
  // Longer than the usual load balancer idle timeouts, so they close first.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host || undefined, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  return {
    address: { host: addr.address, port: addr.port },
    url: `${tls ? 'https' : 'http'}://${host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
