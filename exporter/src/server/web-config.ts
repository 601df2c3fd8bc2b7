import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SecureContextOptions, SecureVersion } from 'node:tls';
import { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors';

/**
 * `--web.config.file` in the Prometheus exporter-toolkit format, so existing
 * web configs work unchanged:
 * https://github.com/prometheus/exporter-toolkit/blob/master/docs/web-configuration.md
 * Relative file paths are relative to the web config file, as in the toolkit.
 */
const TLS_VERSIONS = ['TLS10', 'TLS11', 'TLS12', 'TLS13'] as const;
const CLIENT_AUTH = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'] as const;

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

export interface WebConfig {
  tls: (SecureContextOptions & { requestCert: boolean; rejectUnauthorized: boolean; requireAnyCert: boolean; minVersion: SecureVersion; maxVersion: SecureVersion }) | null;
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
    throw new ConfigError('--web.config.file', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (e) {
    throw new ConfigError('--web.config.file', `invalid YAML: ${e instanceof Error ? e.message : String(e)}`);
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
      throw new ConfigError(`web config tls_server_config.${key}`, `cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  };
  let tls: WebConfig['tls'] = null;
  const t = c.tls_server_config;
  if (t) {
    const cert = t.cert !== undefined ? Buffer.from(t.cert) : t.cert_file ? file('cert_file', t.cert_file) : null;
    const key = t.key !== undefined ? Buffer.from(t.key) : t.key_file ? file('key_file', t.key_file) : null;
    if (!cert) throw new ConfigError('web config tls_server_config.cert_file', 'required when tls_server_config is set');
    if (!key) throw new ConfigError('web config tls_server_config.key_file', 'required when tls_server_config is set');
    const verify = t.client_auth_type === 'RequireAndVerifyClientCert' || t.client_auth_type === 'VerifyClientCertIfGiven';
    if (verify && !t.client_ca_file) throw new ConfigError('web config tls_server_config.client_ca_file', `required with client_auth_type ${t.client_auth_type}`);
    tls = {
      cert,
      key,
      ca: t.client_ca_file ? file('client_ca_file', t.client_ca_file) : undefined,
      requestCert: t.client_auth_type !== 'NoClientCert',
      rejectUnauthorized: t.client_auth_type === 'RequireAndVerifyClientCert',
      requireAnyCert: t.client_auth_type === 'RequireAnyClientCert',
      minVersion: TLS_NAME[t.min_version],
      maxVersion: TLS_NAME[t.max_version],
    };
  }
  return { tls, users: c.basic_auth_users ?? {}, headers: c.http_server_config?.headers ?? {} };
}
