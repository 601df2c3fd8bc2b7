import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createSecureContext, DEFAULT_CIPHERS, getCiphers, type SecureContextOptions, type SecureVersion } from 'node:tls';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors';
import { normaliseSan } from './san';
import { errnoCode, errorMessage } from '../util/error-message';

/**
 * `--web.config.file` in the Prometheus exporter-toolkit format, so existing
 * web configs work unchanged:
 * https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md
 * Relative file paths are relative to the web config file, as in the toolkit.
 */
const TLS_VERSIONS = ['TLS10', 'TLS11', 'TLS12', 'TLS13'] as const;
const CLIENT_AUTH = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'] as const;
type ClientAuthType = (typeof CLIENT_AUTH)[number];

/**
 * Go's crypto/tls names (what exporter-toolkit accepts: tls.CipherSuites()) →
 * OpenSSL names. The TLS 1.3 suites keep their names in OpenSSL.
 */
const CIPHER_SUITES: Record<string, string> = {
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_AES_128_GCM_SHA256: 'TLS_AES_128_GCM_SHA256',
  TLS_AES_256_GCM_SHA384: 'TLS_AES_256_GCM_SHA384',
  TLS_CHACHA20_POLY1305_SHA256: 'TLS_CHACHA20_POLY1305_SHA256',
};
/** exporter-toolkit's curve names → OpenSSL group names (Node's ecdhCurve). */
const CURVES: Record<string, string> = { CurveP256: 'P-256', CurveP384: 'P-384', CurveP521: 'P-521', X25519: 'X25519' };

const schema = z
  .object({
    tls_server_config: z
      .object({
        cert_file: z.string().min(1).optional(),
        key_file: z.string().min(1).optional(),
        cert: z.string().min(1).optional(),
        key: z.string().min(1).optional(),
        client_auth_type: z.enum(CLIENT_AUTH).default('NoClientCert'),
        client_ca_file: z.string().min(1).optional(),
        client_allowed_sans: z.array(z.string()).optional(),
        min_version: z.enum(TLS_VERSIONS).default('TLS12'),
        max_version: z.enum(TLS_VERSIONS).default('TLS13'),
        cipher_suites: z.array(z.string()).optional(),
        curve_preferences: z.array(z.string()).optional(),
        prefer_server_cipher_suites: z.boolean().optional(),
      })
      .strict()
      .optional(),
    http_server_config: z
      .object({
        http2: z.boolean().optional(),
        headers: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .optional(),
    basic_auth_users: z.record(z.string().min(1), z.string().regex(/^\$2[aby]\$\d{2}\$/, 'must be a bcrypt hash ($2a$/$2b$/$2y$)')).optional(),
  })
  .strict();

/** What a client certificate must satisfy beyond the TLS handshake (checked per connection, see server/auth.ts). */
export interface ClientCertPolicy {
  type: ClientAuthType;
  /** client_allowed_sans: the certificate must carry one of these (DNS, email, IP or URI); empty: no SAN check. */
  allowedSans: string[];
}

export interface WebConfig {
  /** Options for https.createServer; null: plain HTTP. */
  tls:
    | (SecureContextOptions & {
        requestCert: boolean;
        rejectUnauthorized: boolean;
        minVersion: SecureVersion;
        maxVersion: SecureVersion;
        honorCipherOrder: boolean;
      })
    | null;
  /** Client certificate rules; type NoClientCert when TLS is off. */
  clientAuth: ClientCertPolicy;
  /** user → bcrypt hash. Empty: no authentication. */
  users: Record<string, string>;
  headers: Record<string, string>;
}

const TLS_NAME: Record<(typeof TLS_VERSIONS)[number], SecureVersion> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };

/** Reads and validates a web config; every problem is a ConfigError naming the key. */
export function loadWebConfig(path: string): WebConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError('--web.config.file', `cannot read ${path}: ${errnoCode(e) ?? String(e)}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (e) {
    throw new ConfigError('--web.config.file', `invalid YAML: ${errorMessage(e)}`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    const key = i.path.map(String).join('.');
    throw new ConfigError(`web config ${key || '(root)'}`, i.code === 'unrecognized_keys' ? `unknown key(s) ${i.keys.join(', ')}` : i.message);
  }
  const c = r.data;
  const base = dirname(resolve(path));
  const file = (key: string, p: string): Buffer => {
    try {
      return readFileSync(resolve(base, p));
    } catch (e) {
      throw new ConfigError(`web config tls_server_config.${key}`, `cannot read ${p}: ${errnoCode(e) ?? String(e)}`);
    }
  };
  let tls: WebConfig['tls'] = null;
  let clientAuth: ClientCertPolicy = { type: 'NoClientCert', allowedSans: [] };
  const t = c.tls_server_config;
  if (t) {
    const cert = t.cert !== undefined ? Buffer.from(t.cert) : t.cert_file ? file('cert_file', t.cert_file) : null;
    const key = t.key !== undefined ? Buffer.from(t.key) : t.key_file ? file('key_file', t.key_file) : null;
    if (!cert) throw new ConfigError('web config tls_server_config.cert_file', 'required when tls_server_config is set');
    if (!key) throw new ConfigError('web config tls_server_config.key_file', 'required when tls_server_config is set');
    const auth = t.client_auth_type;
    const verify = auth === 'RequireAndVerifyClientCert' || auth === 'VerifyClientCertIfGiven';
    if (verify && !t.client_ca_file) throw new ConfigError('web config tls_server_config.client_ca_file', `required with client_auth_type ${auth}`);
    if (t.client_ca_file && auth === 'NoClientCert') {
      throw new ConfigError('web config tls_server_config.client_ca_file', 'set without a client_auth_type that asks for client certificates');
    }
    if (t.client_allowed_sans !== undefined && auth !== 'RequireAnyClientCert' && auth !== 'RequireAndVerifyClientCert') {
      // As exporter-toolkit: with the other types a client may send no certificate, leaving nothing to match.
      throw new ConfigError(
        'web config tls_server_config.client_allowed_sans',
        `requires client_auth_type RequireAndVerifyClientCert or RequireAnyClientCert, not ${auth}`,
      );
    }
    clientAuth = { type: auth, allowedSans: (t.client_allowed_sans ?? []).map(normaliseSan) };
    const ciphers = t.cipher_suites?.length ? opensslCiphers(t.cipher_suites) : undefined;
    const ecdhCurve = t.curve_preferences?.length ? opensslCurves(t.curve_preferences) : undefined;
    const minVersion = TLS_NAME[t.min_version];
    const maxVersion = TLS_NAME[t.max_version];
    if (TLS_VERSIONS.indexOf(t.min_version) > TLS_VERSIONS.indexOf(t.max_version)) {
      throw new ConfigError('web config tls_server_config.min_version', `${t.min_version} is above max_version ${t.max_version}`);
    }
    // Let OpenSSL judge what this build supports; a failure names the key rather than surfacing at the first connection.
    for (const [k, opts] of [
      ['cipher_suites', { ciphers, minVersion, maxVersion }],
      ['curve_preferences', { ecdhCurve, minVersion, maxVersion }],
    ] as const) {
      try {
        createSecureContext(opts);
      } catch (e) {
        throw new ConfigError(`web config tls_server_config.${k}`, `not supported by this Node.js/OpenSSL: ${errorMessage(e)}`);
      }
    }
    tls = {
      cert,
      key,
      ca: t.client_ca_file ? file('client_ca_file', t.client_ca_file) : undefined,
      requestCert: auth !== 'NoClientCert',
      // Only RequireAndVerifyClientCert can be refused in the handshake; VerifyClientCertIfGiven
      // accepts a missing certificate, so an untrusted one is refused per connection (server/auth.ts).
      rejectUnauthorized: auth === 'RequireAndVerifyClientCert',
      minVersion,
      maxVersion,
      honorCipherOrder: t.prefer_server_cipher_suites ?? true,
      ...(ciphers !== undefined ? { ciphers } : {}),
      ...(ecdhCurve !== undefined ? { ecdhCurve } : {}),
    };
  }
  return { tls, clientAuth, users: c.basic_auth_users ?? {}, headers: c.http_server_config?.headers ?? {} };
}

/**
 * cipher_suites → Node's `ciphers`. As in Go, the list restricts TLS 1.0–1.2;
 * TLS 1.3 keeps its default suites unless TLS 1.3 names are listed too (Go
 * ignores those, OpenSSL honours them).
 */
function opensslCiphers(names: string[]): string {
  const supported = new Set(getCiphers().map((c) => c.toUpperCase()));
  const out = names.map((n) => {
    const o = CIPHER_SUITES[n];
    if (o === undefined)
      throw new ConfigError(
        'web config tls_server_config.cipher_suites',
        `unknown cipher suite ${n} (use Go's names, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)`,
      );
    if (!o.startsWith('TLS_') && !supported.has(o))
      throw new ConfigError('web config tls_server_config.cipher_suites', `${n} (${o}) is not supported by this Node.js/OpenSSL`);
    return o;
  });
  if (!out.some((o) => o.startsWith('TLS_'))) out.push(...DEFAULT_CIPHERS.split(':').filter((c) => c.startsWith('TLS_')));
  return out.join(':');
}

/** curve_preferences → Node's `ecdhCurve` (also the TLS 1.3 key-exchange groups). */
function opensslCurves(names: string[]): string {
  return names
    .map((n) => {
      const o = CURVES[n];
      if (o === undefined)
        throw new ConfigError('web config tls_server_config.curve_preferences', `unknown curve ${n} (one of ${Object.keys(CURVES).join(', ')})`);
      return o;
    })
    .join(':');
}
