import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import bcrypt from 'bcryptjs';
import type { TLSSocket } from 'node:tls';

/**
 * HTTP basic auth against bcrypt hashes (exporter-toolkit's basic_auth_users).
 * bcrypt is slow on purpose; a successful (user, password) is remembered by
 * its SHA-256 so a scrape every few seconds does not pay for it each time.
 * Unknown users still pay one bcrypt comparison, so timing reveals nothing.
 */
export function basicAuth(users: Record<string, string>): (req: Request, res: Response, next: NextFunction) => void {
  const verified = new Map<string, Buffer>();
  const dummy = bcrypt.hashSync('procsight-dummy', 4);
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const sep = decoded.indexOf(':');
    const user = sep >= 0 ? decoded.slice(0, sep) : '';
    const pass = sep >= 0 ? decoded.slice(sep + 1) : '';
    const hash = Object.prototype.hasOwnProperty.call(users, user) ? users[user] : undefined;
    const digest = createHash('sha256').update(`${user}\0${pass}`).digest();
    const known = hash !== undefined ? verified.get(user) : undefined;
    let ok = known !== undefined && known.length === digest.length && timingSafeEqual(known, digest);
    if (!ok) {
      ok = bcrypt.compareSync(pass, hash ?? dummy) && hash !== undefined && m !== null;
      if (ok) verified.set(user, digest);
    }
    if (ok) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Basic realm="procsight"').status(401).type('text').send('Unauthorized\n');
  };
}

/** With client_auth_type RequireAnyClientCert: any client certificate, not verified, must be present. */
export function requireClientCert(req: Request, res: Response, next: NextFunction): void {
  const sock = req.socket as TLSSocket;
  const cert = typeof sock.getPeerCertificate === 'function' ? sock.getPeerCertificate() : null;
  if (cert && Object.keys(cert).length > 0) {
    next();
    return;
  }
  res.status(403).type('text').send('client certificate required\n');
}

/** Extra response headers from http_server_config.headers. */
export function staticHeaders(headers: Record<string, string>): (req: Request, res: Response, next: NextFunction) => void {
  return (_req, res, next) => {
    for (const [k, v] of Object.entries(headers)) res.set(k, v);
    next();
  };
}
