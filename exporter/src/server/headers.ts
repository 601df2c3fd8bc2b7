import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Security headers; the landing page has no scripts or styles, so the default
 * CSP fits, except two of helmet's defaults that break an exporter served over
 * plain HTTP: `upgrade-insecure-requests` makes a browser on another host
 * follow the page's links over https, which is not there; and HSTS, were it
 * sent over TLS, would force https for every port of the host (node_exporter's
 * too).
 */
export function securityHeaders(): (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void {
  return helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } }, strictTransportSecurity: false });
}
