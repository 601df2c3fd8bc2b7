import { createHash, timingSafeEqual } from 'node:crypto';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import type { NextFunction, Request, Response } from 'express';
import { BcryptWorker } from './bcrypt-worker';
import type { AuthFailureReason } from '@procsight/contract';
import { normaliseSan } from './san';
import type { ClientCertPolicy, WebConfig } from './web-config';

/**
 * What an unknown user's password is compared with when no user is configured: a bcrypt hash (cost 4) of a
 * fixed word, written out so that neither thread loads bcrypt unless a login is checked (its worker does).
 */
export const NO_USERS_HASH = '$2b$04$TloSVGfHKgUKY76yF6N0SO2WsX9vGYzn0nREQ9qm.VbUz3hGArzFu';

export interface BasicAuthOptions {
  /** user → bcrypt hash (basic_auth_users). */
  users: Record<string, string>;
  /** Failed logins a client address may make in a burst before it is answered 429 without bcrypt (default 10). */
  failureBurst?: number;
  /** One failed login is forgiven every this many ms (default 6,000: 10 a minute). */
  failureRefillMs?: number;
  /** bcrypt comparisons queued or running at once over all clients; beyond that, 429 (default 4). */
  maxConcurrentCompares?: number;
  /** Client addresses remembered by the failure limiter (default 10,000). */
  maxTrackedClients?: number;
  /** Called on every refused request (feeds procsight_auth_failures_total). */
  onFailure?: (reason: AuthFailureReason) => void;
  /** Clock (tests). */
  now?: () => number;
}

/** The middleware, and close() to stop its bcrypt worker thread. */
export type BasicAuth = ((req: Request, res: Response, next: NextFunction) => void) & { close(): Promise<void> };

/**
 * Per-client token bucket of failed logins. A token is taken before bcrypt
 * runs (so a burst of parallel guesses cannot all get through) and given back
 * when the password was right.
 */
class FailureLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly opts: { burst: number; refillMs: number; maxClients: number; now: () => number }) {}

  private level(b: { tokens: number; at: number }, now: number): number {
    return Math.min(this.opts.burst, b.tokens + (now - b.at) / this.opts.refillMs);
  }

  take(key: string): boolean {
    const now = this.opts.now();
    const b = this.buckets.get(key);
    const tokens = b ? this.level(b, now) : this.opts.burst;
    if (tokens < 1) return false;
    this.buckets.delete(key); // re-insert: the Map's order is least recently used first
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    this.evict(now);
    return true;
  }

  refund(key: string): void {
    const b = this.buckets.get(key);
    if (b) b.tokens = Math.min(this.opts.burst, b.tokens + 1);
  }

  /** Seconds until the next token for this client. */
  retryAfter(key: string): number {
    const b = this.buckets.get(key);
    if (!b) return 0;
    return Math.max(1, Math.ceil(((1 - this.level(b, this.opts.now())) * this.opts.refillMs) / 1000));
  }

  private evict(now: number): void {
    if (this.buckets.size <= this.opts.maxClients) return;
    // A full bucket is the same as no bucket: forget those first, then the least recently used.
    for (const [k, b] of this.buckets) if (this.level(b, now) >= this.opts.burst) this.buckets.delete(k);
    for (const k of this.buckets.keys()) {
      if (this.buckets.size <= this.opts.maxClients) break;
      this.buckets.delete(k);
    }
  }
}

/**
 * HTTP basic auth against bcrypt hashes (exporter-toolkit's basic_auth_users).
 * bcrypt is slow on purpose; a successful (user, password) is remembered by
 * its SHA-256 so a scrape every few seconds does not pay for it each time.
 * Unknown users are compared against a configured hash (same cost), so timing
 * does not reveal which users exist. bcrypt runs on a worker thread
 * (bcrypt-worker.ts), a client that keeps failing is answered 429 without
 * running bcrypt at all (FailureLimiter), and so is everyone while
 * maxConcurrentCompares are queued: wrong passwords cannot stall scrapes and
 * collection, nor keep the worker busy for long.
 */
export function basicAuth(opts: BasicAuthOptions): BasicAuth {
  const { users } = opts;
  const now = opts.now ?? Date.now;
  const limiter = new FailureLimiter({
    burst: opts.failureBurst ?? 10,
    refillMs: opts.failureRefillMs ?? 6_000,
    maxClients: opts.maxTrackedClients ?? 10_000,
    now,
  });
  const maxConcurrent = opts.maxConcurrentCompares ?? 4;
  const worker = new BcryptWorker();
  let comparing = 0;
  const verified = new Map<string, Buffer>();
  const dummy = Object.values(users)[0] ?? NO_USERS_HASH;
  const refuse = (res: Response, reason: AuthFailureReason): void => {
    opts.onFailure?.(reason);
    res.set('WWW-Authenticate', 'Basic realm="procsight"').status(401).type('text').send('Unauthorized\n');
  };
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    // Already authenticated by the remediation bearer token (bearerAuth runs first).
    if (res.locals.principal !== undefined) {
      next();
      return;
    }
    const header = req.get('authorization') ?? '';
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const sep = decoded.indexOf(':');
    if (sep < 0) {
      // Nothing to check, so nothing to spend bcrypt on.
      refuse(res, 'no_credentials');
      return;
    }
    const user = decoded.slice(0, sep);
    const pass = decoded.slice(sep + 1);
    const hash = Object.prototype.hasOwnProperty.call(users, user) ? users[user] : undefined;
    const digest = createHash('sha256').update(`${user}\0${pass}`).digest();
    const known = hash !== undefined ? verified.get(user) : undefined;
    if (known !== undefined && known.length === digest.length && timingSafeEqual(known, digest)) {
      res.locals.principal = { kind: 'user', name: user };
      next();
      return;
    }
    const client = req.ip ?? 'unknown';
    if (comparing >= maxConcurrent || !limiter.take(client)) {
      opts.onFailure?.('rate_limited');
      res
        .set('Retry-After', String(limiter.retryAfter(client) || 1))
        .status(429)
        .type('text')
        .send('Too Many Requests: too many failed logins\n');
      return;
    }
    comparing++;
    worker.compare(pass, hash ?? dummy).then(
      (match) => {
        comparing--;
        if (match && hash !== undefined) {
          limiter.refund(client);
          verified.set(user, digest);
          res.locals.principal = { kind: 'user', name: user };
          next();
          return;
        }
        refuse(res, 'bad_credentials');
      },
      (e: unknown) => {
        comparing--;
        next(e);
      },
    );
  };
  return Object.assign(middleware, { close: () => worker.close() });
}

/**
 * The remediation bearer token (remediation.webhook_token_file) on /api/v1:
 * a request whose `Authorization: Bearer …` matches it (compared in constant
 * time) is authenticated as the token, and basic auth is not asked for; a
 * wrong token is a 401 (429 after repeated failures from one address,
 * without comparing). Requests without a bearer token go on to basic auth.
 */
export function bearerAuth(opts: {
  verify(token: string): boolean;
  onFailure?: (reason: AuthFailureReason) => void;
  now?: () => number;
}): (req: Request, res: Response, next: NextFunction) => void {
  const limiter = new FailureLimiter({ burst: 10, refillMs: 6_000, maxClients: 10_000, now: opts.now ?? Date.now });
  return (req, res, next) => {
    const m = /^Bearer\s+(.*)$/i.exec(req.get('authorization') ?? '');
    if (!m || !req.path.startsWith('/api/v1/')) {
      next();
      return;
    }
    const client = req.ip ?? 'unknown';
    if (opts.verify(m[1].trim())) {
      res.locals.principal = { kind: 'token' };
      next();
      return;
    }
    if (!limiter.take(client)) {
      opts.onFailure?.('rate_limited');
      res
        .set('Retry-After', String(limiter.retryAfter(client) || 1))
        .status(429)
        .json({ error: 'too many failed logins: slow down' });
      return;
    }
    opts.onFailure?.('bad_credentials');
    res.set('WWW-Authenticate', 'Bearer realm="procsight"').status(401).json({ error: 'invalid bearer token' });
  };
}

/** SAN values of a peer certificate as Go's x509 lists them (DNS, email, IP, URI). */
export function certSans(subjectaltname: string | undefined): string[] {
  const out: string[] = [];
  const s = subjectaltname ?? '';
  let i = 0;
  while (i < s.length) {
    const colon = s.indexOf(':', i);
    if (colon < 0) break;
    const type = s.slice(i, colon).trim();
    let j = colon + 1;
    let value: string;
    if (s[j] === '"') {
      // Node quotes values holding separators as JSON strings.
      let k = j + 1;
      while (k < s.length && s[k] !== '"') k += s[k] === '\\' ? 2 : 1;
      value = JSON.parse(s.slice(j, k + 1)) as string;
      j = k + 1;
    } else {
      const end = s.indexOf(', ', j);
      value = s.slice(j, end < 0 ? s.length : end);
      j = end < 0 ? s.length : end;
    }
    if (s.startsWith(', ', j)) j += 2;
    i = j;
    if (type === 'DNS' || type === 'email' || type === 'URI') out.push(value);
    else if (type === 'IP Address') out.push(normaliseSan(value));
  }
  return out;
}

/**
 * Why this TLS connection's client certificate is not acceptable under the
 * policy (Go's tls.ClientAuthType, as exporter-toolkit uses it), or null.
 * Node's `authorized` says whether the certificate chains to client_ca_file.
 */
function clientCertProblem(sock: TLSSocket, policy: ClientCertPolicy): string | null {
  if (policy.type === 'NoClientCert' || policy.type === 'RequestClientCert') return null;
  const cert = typeof sock.getPeerCertificate === 'function' ? sock.getPeerCertificate() : null;
  const given = cert !== null && Object.keys(cert).length > 0;
  if (!given) return policy.type === 'VerifyClientCertIfGiven' ? null : 'client certificate required';
  if (policy.type !== 'RequireAnyClientCert' && !sock.authorized) {
    return `client certificate not trusted: ${String(sock.authorizationError ?? 'unverified')}`;
  }
  if (policy.allowedSans.length > 0) {
    const sans = certSans(cert.subjectaltname);
    if (!sans.some((v) => policy.allowedSans.includes(v))) return 'client certificate has none of client_allowed_sans';
  }
  return null;
}

/**
 * Closes TLS connections whose client certificate the policy refuses, right
 * after the handshake and before any request is read. Node can only refuse in
 * the handshake when a certificate is both required and verified; the other
 * client_auth_types and client_allowed_sans are enforced here.
 */
export function enforceClientCerts(server: TlsServer, opts: { policy: ClientCertPolicy; onReject?: (problem: string) => void }): void {
  if (opts.policy.type === 'NoClientCert' || opts.policy.type === 'RequestClientCert') return;
  // Before the HTTP server's own listener: a request that arrived with the
  // handshake's last flight (TLS 1.3) must never reach the HTTP parser.
  server.prependListener('secureConnection', (sock: TLSSocket) => {
    const problem = clientCertProblem(sock, opts.policy);
    if (problem === null) return;
    opts.onReject?.(problem);
    sock.destroy();
  });
}

/** The same check per request (defence in depth behind enforceClientCerts): 403. */
export function requireClientCert(opts: {
  policy: ClientCertPolicy;
  onReject?: (problem: string) => void;
}): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    // Already refused and closed by enforceClientCerts (and counted there): nothing to answer.
    if (req.socket.destroyed) return;
    const problem = clientCertProblem(req.socket as TLSSocket, opts.policy);
    if (problem === null) {
      next();
      return;
    }
    opts.onReject?.(problem);
    res.status(403).type('text').send(`${problem}\n`);
  };
}

/** Extra response headers from http_server_config.headers. */
function staticHeaders(headers: Record<string, string>): (req: Request, res: Response, next: NextFunction) => void {
  return (_req, res, next) => {
    for (const [k, v] of Object.entries(headers)) res.set(k, v);
    next();
  };
}

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/**
 * What --web.config.file asks of every request, in order: a client
 * certificate (TLS), the remediation bearer token (when remediation is on),
 * basic auth, static headers. `onFailure` counts each
 * refusal (procsight_auth_failures_total); `close()` stops the bcrypt worker.
 */
export function authMiddleware(opts: {
  webConfig: WebConfig | null;
  onFailure(reason: AuthFailureReason): void;
  logger: { debug(obj: object, msg: string): void };
  /** The remediation token's check, when remediation is on: a valid bearer token authenticates /api/v1 requests. */
  bearer?: ((token: string) => boolean) | null;
  /** Check the client certificate per request (default true); false where the TLS connection is the HTTP front's. */
  clientCert?: boolean;
}): {
  middleware: Middleware[];
  /** Logins or configured headers apply to every path, the health probes included. */
  guardsEveryPath: boolean;
  onCertRejected(problem: string): void;
  close(): Promise<void>;
} {
  const { webConfig } = opts;
  const onCertRejected = (problem: string): void => {
    opts.onFailure('client_cert');
    opts.logger.debug({ problem }, 'TLS client refused');
  };
  const auth = webConfig && Object.keys(webConfig.users).length > 0 ? basicAuth({ users: webConfig.users, onFailure: opts.onFailure }) : null;
  const headers = webConfig && Object.keys(webConfig.headers).length > 0 ? staticHeaders(webConfig.headers) : null;
  const middleware: Middleware[] = [
    ...(webConfig?.tls && opts.clientCert !== false ? [requireClientCert({ policy: webConfig.clientAuth, onReject: onCertRejected })] : []),
    ...(opts.bearer ? [bearerAuth({ verify: opts.bearer, onFailure: opts.onFailure })] : []),
    ...(auth ? [auth] : []),
    ...(headers ? [headers] : []),
  ];
  return { middleware, guardsEveryPath: auth !== null || headers !== null, onCertRejected, close: async () => auth?.close() };
}
