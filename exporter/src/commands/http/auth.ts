import { readFileSync } from 'node:fs';
import { UsageError } from '../errors';

/** Credentials for one kind of target (Prometheus, or the exporters). */
export type Credentials = { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string };

export interface AuthFlags {
  user?: string;
  passwordFile?: string;
  bearerTokenFile?: string;
}

/**
 * Credentials from flags and the environment. Passwords and tokens come from
 * a file or an environment variable, never from a flag (flags show in `ps`).
 * `target` names the flags and variables: `prometheus` → --prometheus-user,
 * PROCSIGHT_PROMETHEUS_PASSWORD, PROCSIGHT_PROMETHEUS_BEARER_TOKEN.
 */
export function credentialsFrom(target: 'prometheus' | 'exporter', flags: AuthFlags, env: NodeJS.ProcessEnv): Credentials | null {
  const upper = target.toUpperCase();
  const user = flags.user ?? nonEmpty(env[`PROCSIGHT_${upper}_USER`]);
  const password =
    flags.passwordFile !== undefined ? readSecret(flags.passwordFile, `--${target}-password-file`) : nonEmpty(env[`PROCSIGHT_${upper}_PASSWORD`]);
  const token =
    flags.bearerTokenFile !== undefined ? readSecret(flags.bearerTokenFile, `--${target}-bearer-token-file`) : nonEmpty(env[`PROCSIGHT_${upper}_BEARER_TOKEN`]);
  if (token !== undefined && (user !== undefined || password !== undefined)) {
    throw new UsageError(`give either basic auth (--${target}-user) or a bearer token for ${target}, not both`);
  }
  if (token !== undefined) return { kind: 'bearer', token };
  if (password !== undefined && user === undefined) throw new UsageError(`a ${target} password needs --${target}-user (or PROCSIGHT_${upper}_USER)`);
  if (user !== undefined) return { kind: 'basic', user, password: password ?? '' };
  return null;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

function readSecret(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (e) {
    throw new UsageError(`${flag}: cannot read ${path} (${e instanceof Error && 'code' in e ? String(e.code) : 'error'})`);
  }
}

/** A base URL without credentials, and the credentials it carried (`http://user:pass@host`: fetch refuses such URLs). */
export function splitUrl(raw: string, flag: string): { url: string; fromUrl: Credentials | null } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`${flag}: not a URL: ${raw}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`${flag}: must be http or https: ${raw}`);
  const fromUrl: Credentials | null = u.username ? { kind: 'basic', user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } : null;
  u.username = '';
  u.password = '';
  return { url: u.toString().replace(/\/+$/, ''), fromUrl };
}

export function authHeader(c: Credentials | null): Record<string, string> {
  if (!c) return {};
  if (c.kind === 'bearer') return { authorization: `Bearer ${c.token}` };
  return { authorization: `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}` };
}
